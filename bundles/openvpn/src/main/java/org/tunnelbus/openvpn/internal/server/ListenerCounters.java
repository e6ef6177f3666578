package org.tunnelbus.openvpn.internal.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A listener's named counters (control packets, drops by reason, sessions); incremented from any thread. */
final class ListenerCounters {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** A sorted snapshot. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
