package org.tunnelbus.webconsole.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.tls.TlsInfo;

/** The sessions table and one session's details, as the page's JSON. Everything comes from the api's session. */
final class SessionsJson {
    private SessionsJson() {
    }

    static void table(JsonWriter w, Collection<Session> sessions, Throughput throughput) {
        w.name("sessions").beginArray();
        sessions.stream().sorted(Comparator.comparing(Session::since)).forEach(s -> row(w, s, throughput.current(s.id())));
        w.endArray();
    }

    private static void row(JsonWriter w, Session s, Throughput.Point rate) {
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        TlsInfo tls = s.get(TlsInfo.KEY);
        w.beginObject()
                .field("id", s.id())
                .field("name", s.name().isEmpty() ? "(handshake)" : s.name())
                .field("real", s.remote() == null ? "" : s.remote().getAddress().getHostAddress() + ":" + s.remote().getPort())
                .field("virtual", tc == null || tc.address() == null ? "" : tc.address().split("/")[0])
                .field("cipher", tc == null || tc.cipher() == null ? "" : tc.cipher())
                .field("tls", tls == null ? "" : tls.provider())
                .field("in", s.bytesIn())
                .field("out", s.bytesOut());
        w.name("rateIn").value(rate.inPerSecond()).name("rateOut").value(rate.outPerSecond());
        w.field("since", s.since().toString()).field("state", s.state().name()).endObject();
    }

    /** Everything about one session: its table row, pushed options, TLS, what the client said, manglers, graph. */
    static void details(JsonWriter w, Session s, Throughput throughput, List<StageInfo> manglers) {
        w.beginObject();
        w.name("session");
        row(w, s, throughput.current(s.id()));
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        TlsInfo tls = s.get(TlsInfo.KEY);
        w.field("peerId", s.peerId());
        w.field("tlsProtocol", tls == null ? "" : tls.protocol());
        w.field("compression", compression(tc));
        w.field("keepalive", tc == null ? "" : "ping " + tc.ping() + ", ping-restart " + tc.pingRestart());
        w.name("options").beginArray();
        if (tc != null) {
            tc.options().forEach(w::value);
        }
        w.endArray();
        w.name("peerInfo").beginArray();
        PeerOptions p = s.get(PeerOptions.KEY);
        if (p != null) {
            p.peerInfo().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> w.value(e.getKey() + "=" + e.getValue()));
        }
        w.endArray();
        w.name("manglers").beginArray();
        for (StageInfo m : manglers) {
            if (m.box() == Box.MANGLE) {
                w.value(m.name() + " (order " + m.order() + ", " + (m.isMissing() ? "MISSING" : m.bundle()) + ")");
            }
        }
        w.endArray();
        w.name("history").beginArray();
        for (Throughput.Point pt : throughput.history(s.id())) {
            w.beginArray().value(pt.atMillis()).value(pt.inPerSecond()).value(pt.outPerSecond()).endArray();
        }
        w.endArray();
        w.endObject();
    }

    /** What the pushed options say about compression (stock pushes {@code compress ...} or {@code comp-lzo ...}). */
    static String compression(TunnelConfig tc) {
        if (tc == null) {
            return "";
        }
        for (String o : tc.options()) {
            if (o.startsWith("compress") || o.startsWith("comp-lzo")) {
                return o;
            }
        }
        return "none (off, as stock 2.6 by default)";
    }
}
