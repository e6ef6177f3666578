package org.tunnelbus.management.openvpn.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;

/**
 * The {@code >CLIENT:ENV,name=value} lines of a {@code >CLIENT:ESTABLISHED} or {@code >CLIENT:DISCONNECT}
 * notification: the variables stock OpenVPN 2.6 passes to its client-connect and client-disconnect scripts, in
 * stock's order, as far as a session tells them (no {@code tls_*} certificate details, no device name). Values
 * are the session's: {@code trusted_ip} is where the client talks from, {@code ifconfig_pool_remote_ip} its tunnel
 * address, {@code ifconfig_local} the server's.
 */
final class ClientEnv {
    /** What the daemon adds to every client's variables. */
    record Daemon(long pid, Instant started) {
    }

    private ClientEnv() {
    }

    /** Variables of a client that just connected ({@code n_clients} counts it). */
    static List<String> established(Session s, int clients, Instant now, Daemon daemon) {
        List<String> env = new ArrayList<>();
        env.add("n_clients=" + clients);
        pool(env, s);
        env.add("time_unix=" + now.getEpochSecond());
        env.add("time_ascii=" + StatusFormat.TIME.format(now));
        address(env, "trusted", s);
        env.add("common_name=" + s.name());
        peerInfo(s).forEach((k, v) -> env.add(k + "=" + v));
        address(env, "untrusted", s);
        daemon(env, s, daemon);
        return env;
    }

    /** Variables of a client that went, with the time it was connected and its byte counts. */
    static List<String> disconnected(Session s, Instant connectedAt, Instant now, Daemon daemon) {
        List<String> env = new ArrayList<>();
        env.add("time_duration=" + Math.max(0, now.getEpochSecond() - connectedAt.getEpochSecond()));
        env.add("bytes_sent=" + s.bytesOut());
        env.add("bytes_received=" + s.bytesIn());
        address(env, "trusted", s);
        pool(env, s);
        env.add("time_unix=" + connectedAt.getEpochSecond());
        env.add("time_ascii=" + StatusFormat.TIME.format(connectedAt));
        env.add("common_name=" + s.name());
        address(env, "untrusted", s);
        daemon(env, s, daemon);
        return env;
    }

    private static void pool(List<String> env, Session s) {
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        if (tc != null && tc.address() != null) {
            env.add("ifconfig_pool_netmask=" + netmask(tc.address()));
            env.add("ifconfig_pool_remote_ip=" + StatusFormat.virtualAddress(s));
        }
    }

    private static void address(List<String> env, String prefix, Session s) {
        if (s.remote() != null) {
            env.add(prefix + "_port=" + s.remote().getPort());
            env.add(prefix + "_ip=" + s.remote().getAddress().getHostAddress());
        }
    }

    private static Map<String, String> peerInfo(Session s) {
        PeerOptions p = s.get(PeerOptions.KEY);
        Map<String, String> out = new TreeMap<>(java.util.Comparator.reverseOrder()); // stock lists them newest first
        if (p != null) {
            p.peerInfo().forEach((k, v) -> {
                if (k.startsWith("IV_") && printable(k) && printable(v)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static void daemon(List<String> env, Session s, Daemon daemon) {
        env.add("daemon_pid=" + daemon.pid());
        env.add("daemon_start_time=" + daemon.started().getEpochSecond());
        env.add("daemon_log_redirect=0");
        env.add("daemon=0");
        TunnelConfig tc = s.get(TunnelConfig.KEY);
        if (tc != null && tc.gateway() != null && tc.address() != null) {
            env.add("ifconfig_local=" + tc.gateway());
            env.add("ifconfig_netmask=" + netmask(tc.address()));
        }
        env.add("script_context=init");
    }

    /** The dotted netmask of {@code a.b.c.d/len}; 255.255.255.255 without a length. */
    static String netmask(String cidr) {
        int slash = cidr.indexOf('/');
        int len = 32;
        if (slash >= 0) {
            try {
                len = Math.max(0, Math.min(32, Integer.parseInt(cidr.substring(slash + 1))));
            } catch (NumberFormatException e) {
                len = 32;
            }
        }
        long mask = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        return (mask >> 24 & 255) + "." + (mask >> 16 & 255) + "." + (mask >> 8 & 255) + "." + (mask & 255);
    }

    /** An ENV line never carries a line break or a comma in its name (what a peer sends is peer-controlled). */
    private static boolean printable(String v) {
        return v.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
