package org.tunnelbus.auth.userpass.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed logins per source address (not per port: a client that reconnects gets a new port): after
 * {@code limit} failures within {@code window}, the address is refused without checking for {@code block}
 * — which also keeps a password-guessing client from keeping the server busy hashing. Each block is logged
 * once, at WARN. The table is bounded: when full, the oldest address is forgotten.
 */
final class FailureThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(FailureThrottle.class);
    static final int MAX_ADDRESSES = 10_000;

    private static final class Entry {
        final Deque<Long> failures = new ArrayDeque<>();
        long blockedUntil;
    }

    private final int limit;
    private final long windowMillis;
    private final long blockMillis;
    private final Clock clock;
    /** Access order: the eldest entry is the one used least recently. */
    private final Map<InetAddress, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

    /** @param limit failures that start a block; 0 disables throttling */
    FailureThrottle(int limit, long windowMillis, long blockMillis, Clock clock) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.blockMillis = blockMillis;
        this.clock = clock;
    }

    /** Milliseconds the address stays blocked, or 0 if it may try. */
    synchronized long blockedFor(InetAddress address) {
        Entry e = address == null ? null : entries.get(address);
        if (e == null) {
            return 0;
        }
        long left = e.blockedUntil - clock.millis();
        return Math.max(0, left);
    }

    synchronized void failed(InetAddress address) {
        if (limit <= 0 || address == null) {
            return;
        }
        long now = clock.millis();
        Entry e = entries.computeIfAbsent(address, a -> new Entry());
        e.failures.addLast(now);
        while (!e.failures.isEmpty() && now - e.failures.peekFirst() >= windowMillis) {
            e.failures.removeFirst();
        }
        if (e.failures.size() >= limit && now >= e.blockedUntil) {
            e.blockedUntil = now + blockMillis;
            e.failures.clear();
            LOG.warn("Throttling {}: {} failed logins within {} s; its logins are refused without checking for {} s",
                    address.getHostAddress(), limit, windowMillis / 1000, blockMillis / 1000);
        }
        evict();
    }

    /** A success forgets the address's earlier failures. */
    synchronized void succeeded(InetAddress address) {
        if (address != null) {
            Entry e = entries.get(address);
            if (e != null && e.blockedUntil <= clock.millis()) {
                entries.remove(address);
            }
        }
    }

    private void evict() {
        Iterator<Entry> eldest = entries.values().iterator();
        while (entries.size() > MAX_ADDRESSES && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
