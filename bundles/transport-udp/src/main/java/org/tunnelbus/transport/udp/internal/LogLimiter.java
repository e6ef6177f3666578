package org.tunnelbus.transport.udp.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for one kind of event, with the number of events left unreported:
 * a flood of bad datagrams or send errors must not flood the log. Thread-safe, allocation-free when it
 * says no.
 */
final class LogLimiter {
    private final long intervalNanos;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    LogLimiter(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nextAllowed = new AtomicLong(System.nanoTime());
    }

    /**
     * @return null to stay silent, otherwise the tail to append to the line: "" or
     *         " (and N more since the last report)"
     */
    String permit() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return null;
        }
        long n = suppressed.getAndSet(0);
        return n == 0 ? "" : " (and " + n + " more since the last report)";
    }
}
