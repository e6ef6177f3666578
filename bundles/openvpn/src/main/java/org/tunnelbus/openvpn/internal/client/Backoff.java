package org.tunnelbus.openvpn.internal.client;

/**
 * The delay before the next connection attempt: doubles with every attempt that did not bring the tunnel
 * up, from the first delay to the longest (stock's {@code --connect-retry n max}); a tunnel that came up
 * starts again from the first.
 */
final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    Backoff(long firstMillis, long maxMillis) {
        this.firstMillis = firstMillis;
        this.maxMillis = Math.max(firstMillis, maxMillis);
        this.nextMillis = firstMillis;
    }

    /** The delay to wait now; the one after it is twice as long (up to the maximum). */
    long next() {
        long d = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return d;
    }

    /** The tunnel came up: the next failure retries after the first delay again. */
    void reset() {
        nextMillis = firstMillis;
    }
}
