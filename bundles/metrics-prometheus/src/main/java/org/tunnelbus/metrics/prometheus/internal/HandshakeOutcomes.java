package org.tunnelbus.metrics.prometheus.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/**
 * Handshakes counted by how they ended, from the session registry's events: {@code established} (the session
 * became ACTIVE), {@code refused} (closed before that with a refusal: authentication, configuration handshake,
 * TLS module), {@code failed} (closed before that for any other reason: timeout, the client went away).
 */
final class HandshakeOutcomes {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    HandshakeOutcomes() {
        for (String o : new String[] {"established", "refused", "failed"}) {
            counts.put(o, new LongAdder());
        }
    }

    void stateChanged(Session s, SessionState previous) {
        if (previous == SessionState.HANDSHAKE && s.state() == SessionState.ACTIVE) {
            counts.get("established").increment();
        }
    }

    void closed(Session s, String reason) {
        if (s.state() == SessionState.CLOSED && neverActive(s)) {
            counts.get(reason != null && reason.startsWith("refused") ? "refused" : "failed").increment();
        }
    }

    /** Whether the session never reached ACTIVE: it has no negotiated tunnel. */
    private static boolean neverActive(Session s) {
        return s.get(org.tunnelbus.api.handshake.TunnelConfig.KEY) == null;
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
