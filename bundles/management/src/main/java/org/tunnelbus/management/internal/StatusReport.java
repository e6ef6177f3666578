package org.tunnelbus.management.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.tls.TlsInfo;

/** Formats what operators ask for as aligned text tables. */
final class StatusReport {
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusReport() {
    }

    static String sessions(Collection<Session> sessions) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "REAL ADDRESS", "VIRTUAL ADDRESS", "CIPHER", "BYTES IN", "BYTES OUT", "SINCE", "TLS", "STATE"});
        sessions.stream().sorted(Comparator.comparing(Session::since)).forEach(s -> rows.add(row(s)));
        return table(rows) + sessions.size() + " session(s)\n";
    }

    private static String[] row(Session s) {
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        String virtual = tc == null || tc.address() == null ? "-" : tc.address().split("/")[0];
        String cipher = tc == null || tc.cipher() == null ? "-" : tc.cipher();
        TlsInfo tls = s.get(TlsInfo.KEY);
        String real = s.remote() == null ? "-" : s.remote().getAddress().getHostAddress() + ":" + s.remote().getPort();
        return new String[] {s.name().isEmpty() ? "(handshake)" : s.name(), real, virtual, cipher,
                Long.toString(s.bytesIn()), Long.toString(s.bytesOut()), SINCE.format(s.since()),
                tls == null ? "-" : tls.provider(), s.state().name()};
    }

    /**
     * One block per session, {@code key  value} lines: what {@code status} shows and what it leaves out, above all
     * the options pushed (server) or received (client), which a client records but does not apply to the system
     * (DNS servers, redirect-gateway).
     */
    static String details(Collection<Session> sessions, String name) {
        if (sessions.isEmpty()) {
            return name.isEmpty() ? "no sessions\n" : "no session named '" + name.replaceAll("[^\\x20-\\x7e]", "?") + "'\n";
        }
        StringBuilder out = new StringBuilder();
        sessions.stream().sorted(Comparator.comparing(Session::since)).forEach(s -> details(out, s));
        return out.toString();
    }

    private static void details(StringBuilder out, Session s) {
        String[] r = row(s);
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", r[0]});
        rows.add(new String[] {"real address", r[1]});
        rows.add(new String[] {"state", r[8] + " since " + r[6]});
        rows.add(new String[] {"bytes", "in " + r[4] + ", out " + r[5]});
        TlsInfo tls = s.get(TlsInfo.KEY);
        rows.add(new String[] {"tls", tls == null ? "-" : tls.provider() + " " + tls.protocol() + ", key id " + tls.keyId()});
        if (tc != null) {
            rows.add(new String[] {"virtual address", tc.address() == null ? "-" : tc.address()});
            rows.add(new String[] {"gateway", tc.gateway() == null ? "-" : tc.gateway() + " (" + tc.topology() + ")"});
            rows.add(new String[] {"cipher", r[3]});
            rows.add(new String[] {"keepalive", "ping " + tc.ping() + ", ping-restart " + tc.pingRestart()});
            rows.add(new String[] {"routes", tc.routes().isEmpty() ? "-" : tc.routes().toString()});
            for (int i = 0; i < tc.options().size(); i++) {
                rows.add(new String[] {i == 0 ? "options" : "", tc.options().get(i)});
            }
        }
        out.append(table(rows)).append('\n');
    }

    static String chain(Direction direction, List<StageInfo> chain) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {direction.key().toUpperCase(), "BOX", "ORDER", "SERVICE", "BUNDLE"});
        for (StageInfo s : chain) {
            rows.add(new String[] {s.name(), s.box().name(), Integer.toString(s.order()),
                    s.isMissing() ? "MISSING" : Long.toString(s.serviceId()), s.bundle()});
        }
        return table(rows);
    }

    static String counters(Map<String, Long> counters) {
        StringBuilder out = new StringBuilder();
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
        return out.toString();
    }

    static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
