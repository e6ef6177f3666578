package org.tunnelbus.management.openvpn.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/**
 * The answer to {@code status [1|2|3]} in the layouts of stock OpenVPN 2.6's {@code --status-version} (multi.c
 * {@code multi_print_status}): version 1 with its CLIENT LIST / ROUTING TABLE / GLOBAL STATS sections, 2 and 3 with
 * HEADER lines and comma or tab separators. Sessions are those not ending; an unauthenticated one is {@code UNDEF},
 * as stock names a client before its certificate is verified.
 */
final class StatusFormat {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusFormat() {
    }

    /** Lines of the status in {@code version}; null for an unknown version (the caller reports the error). */
    static List<String> format(int version, String title, Instant now, Collection<Session> sessions) {
        List<Session> live = sessions.stream().filter(StatusFormat::listed).sorted(Comparator.comparingLong(Session::id)).toList();
        return switch (version) {
            case 1 -> version1(now, live);
            case 2 -> version23(",", title, now, live);
            case 3 -> version23("\t", title, now, live);
            default -> null;
        };
    }

    private static boolean listed(Session s) {
        return s.state() != SessionState.CLOSING && s.state() != SessionState.CLOSED;
    }

    private static List<String> version1(Instant now, List<Session> live) {
        List<String> out = new java.util.ArrayList<>();
        out.add("OpenVPN CLIENT LIST");
        out.add("Updated," + TIME.format(now));
        out.add("Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since");
        for (Session s : live) {
            out.add(String.join(",", commonName(s), real(s.remote()), Long.toString(s.bytesIn()),
                    Long.toString(s.bytesOut()), TIME.format(s.since())));
        }
        out.add("ROUTING TABLE");
        out.add("Virtual Address,Common Name,Real Address,Last Ref");
        for (Session s : live) {
            String v = virtualAddress(s);
            if (!v.isEmpty()) {
                out.add(String.join(",", v, commonName(s), real(s.remote()), TIME.format(s.since())));
            }
        }
        out.add("GLOBAL STATS");
        out.add("Max bcast/mcast queue length,0");
        out.add("END");
        return out;
    }

    private static List<String> version23(String sep, String title, Instant now, List<Session> live) {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.join(sep, "TITLE", title));
        out.add(String.join(sep, "TIME", TIME.format(now), Long.toString(now.getEpochSecond())));
        out.add(String.join(sep, "HEADER", "CLIENT_LIST", "Common Name", "Real Address", "Virtual Address",
                "Virtual IPv6 Address", "Bytes Received", "Bytes Sent", "Connected Since", "Connected Since (time_t)",
                "Username", "Client ID", "Peer ID", "Data Channel Cipher"));
        for (Session s : live) {
            TunnelConfig tc = s.get(TunnelConfig.KEY);
            out.add(String.join(sep, "CLIENT_LIST", commonName(s), real(s.remote()), virtualAddress(s), "",
                    Long.toString(s.bytesIn()), Long.toString(s.bytesOut()), TIME.format(s.since()),
                    Long.toString(s.since().getEpochSecond()), "UNDEF", Long.toString(s.id()),
                    Integer.toString(s.peerId()), tc == null || tc.cipher() == null ? "" : tc.cipher()));
        }
        out.add(String.join(sep, "HEADER", "ROUTING_TABLE", "Virtual Address", "Common Name", "Real Address",
                "Last Ref", "Last Ref (time_t)"));
        for (Session s : live) {
            String v = virtualAddress(s);
            if (!v.isEmpty()) {
                out.add(String.join(sep, "ROUTING_TABLE", v, commonName(s), real(s.remote()), TIME.format(s.since()),
                        Long.toString(s.since().getEpochSecond())));
            }
        }
        out.add(String.join(sep, "GLOBAL_STATS", "Max bcast/mcast queue length", "0"));
        out.add(String.join(sep, "GLOBAL_STATS", "dco_enabled", "0"));
        out.add("END");
        return out;
    }

    static String commonName(Session s) {
        return s.name().isEmpty() ? "UNDEF" : s.name();
    }

    /** {@code ADDRESS:PORT} as stock prints a real address ({@code mroute_addr_print}). */
    static String real(InetSocketAddress a) {
        if (a == null) {
            return "";
        }
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The tunnel address without its prefix length, or "". */
    static String virtualAddress(Session s) {
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        if (tc == null || tc.address() == null) {
            return "";
        }
        int slash = tc.address().indexOf('/');
        return slash < 0 ? tc.address() : tc.address().substring(0, slash);
    }
}
