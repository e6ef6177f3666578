package org.tunnelbus.openvpn.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most one log line through per interval, so a flood of bad packets or refusals cannot fill the log, and
 * counts the lines it held back so the next one can say so. Lock-free; any thread.
 */
final class LogGate {
    private final long intervalMillis;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    LogGate(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /**
     * @return -1 if this line must not be logged; else how many lines were held back since the last one let
     *         through (0 for none)
     */
    long permit() {
        long now = System.currentTimeMillis();
        long at = next.get();
        if (now >= at && next.compareAndSet(at, now + intervalMillis)) {
            return held.getAndSet(0);
        }
        held.incrementAndGet();
        return -1;
    }
}
