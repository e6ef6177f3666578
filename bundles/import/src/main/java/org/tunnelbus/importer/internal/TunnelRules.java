package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The directives of the tunnel: device ({@link Pids#DEVICE}), tunnel network, pushed options, keepalive and
 * data ciphers ({@link Pids#HANDSHAKE}), and routing between clients ({@link Pids#ROUTING}).
 */
final class TunnelRules {
    private final ServerMapper m;
    private final Report r;

    TunnelRules(ServerMapper m) {
        this.m = m;
        this.r = m.report();
    }

    /** False when the directive is not one of these. */
    boolean map(String name, Directive d) {
        switch (name) {
            case "dev" -> dev(d);
            case "dev-type" -> devType(d);
            case "topology" -> topology(d);
            case "server" -> server(d);
            case "push" -> push(d);
            case "route" -> route(d);
            case "keepalive" -> keepalive(d);
            case "ping" -> timer(d, "keepalive.ping");
            case "ping-restart" -> timer(d, "keepalive.restart");
            case "data-ciphers", "ncp-ciphers" -> dataCiphers(d);
            case "cipher" -> cipher(d);
            case "client-to-client" -> clientToClient(d);
            case "tun-mtu" -> deviceNumber(d, "mtu", 68, 65535);
            case "txqueuelen" -> deviceNumber(d, "txqueuelen", 1, 1_000_000);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void dev(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String dev = d.arg(0);
        String lower = dev.toLowerCase(Locale.ROOT);
        if (!dev.matches("[A-Za-z0-9_.-]{1,15}")) {
            r.unsupported(d, "'" + dev + "' is not a valid interface name (1-15 characters A-Za-z0-9_.-)");
            return;
        }
        if (lower.startsWith("tap")) {
            m.device().put("mode", "TAP"); // as openvpn: the name says the type unless dev-type does
        }
        boolean generic = lower.equals("tun") || lower.equals("tap");
        if (!generic) {
            m.device().put("name", dev);
        }
        r.mapped(d, Pids.DEVICE + ": mode = " + m.device().get("mode")
                + (generic ? " (name stays tb%d: the kernel numbers it, as for '" + dev + "')" : ", name = " + dev));
    }

    private void devType(Directive d) {
        String t = d.arg(0) == null ? "" : d.arg(0).toLowerCase(Locale.ROOT);
        if (!t.equals("tun") && !t.equals("tap")) {
            r.unsupported(d, "dev-type must be tun or tap");
            return;
        }
        m.device().put("mode", t.toUpperCase(Locale.ROOT));
        r.mapped(d, Pids.DEVICE + ": mode = " + t.toUpperCase(Locale.ROOT));
    }

    private void topology(Directive d) {
        m.sawTopology();
        if ("subnet".equals(d.arg(0))) {
            r.mapped(d, Pids.HANDSHAKE + ": topology = subnet");
        } else {
            r.unsupported(d, "only topology subnet is supported; the import configures subnet and clients get it pushed");
        }
    }

    private void server(Directive d) {
        if (!Args.count(r, d, 2, 3)) {
            return;
        }
        if (d.args().size() == 3 && !"nopool".equals(d.arg(2))) {
            r.unsupported(d, "unknown flag '" + d.arg(2) + "'");
            return;
        }
        try {
            String network = Ipv4.prefix(d.arg(0), d.arg(1));
            String address = Ipv4.firstHost(d.arg(0), d.arg(1));
            m.handshake().put("server", network);
            m.device().put("addresses", List.of(address));
            m.sawServer();
            r.mapped(d, Pids.HANDSHAKE + ": server = " + network + "; " + Pids.DEVICE + ": addresses = " + address
                    + (d.args().size() == 3 ? " (nopool: Tunnelbus always hands out addresses from the network)" : ""));
        } catch (IllegalArgumentException e) {
            r.unsupported(d, e.getMessage());
        }
    }

    private void push(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String option = d.arg(0).trim();
        if (option.contains(",") || !option.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            r.unsupported(d, "a pushed option must be printable ASCII without commas");
            return;
        }
        m.addPush(option);
        r.mapped(d, Pids.HANDSHAKE + ": push += '" + option + "'");
    }

    private void route(Directive d) {
        if (d.args().isEmpty() || d.args().size() > 4) {
            r.unsupported(d, "takes NETWORK [NETMASK [GATEWAY [METRIC]]]");
            return;
        }
        try {
            String mask = d.arg(1) == null || d.arg(1).equals("default") ? "255.255.255.255" : d.arg(1);
            StringBuilder route = new StringBuilder(Ipv4.prefix(d.arg(0), mask));
            if (d.arg(2) != null && !d.arg(2).equals("vpn_gateway") && !d.arg(2).equals("default")) {
                Ipv4.parse(d.arg(2));
                route.append(" via ").append(d.arg(2));
            }
            if (d.arg(3) != null && !d.arg(3).equals("default")) {
                route.append(" metric ").append(Integer.parseInt(d.arg(3)));
            }
            m.addRoute(route.toString());
            r.mapped(d, Pids.DEVICE + ": routes += '" + route + "'");
        } catch (IllegalArgumentException e) {
            r.unsupported(d, e.getMessage() + " (names of networks or gateways are not resolved)");
        }
    }

    private void keepalive(Directive d) {
        if (!Args.count(r, d, 2, 2)) {
            return;
        }
        Integer ping = Args.number(r, d, 0, 0, 3600);
        Integer restart = ping == null ? null : Args.number(r, d, 1, 0, 86400);
        if (restart == null) {
            return;
        }
        m.handshake().put("keepalive.ping", ping);
        m.handshake().put("keepalive.restart", restart);
        m.sawKeepalive();
        r.mapped(d, Pids.HANDSHAKE + ": keepalive.ping = " + ping + ", keepalive.restart = " + restart
                + " (pushed as ping/ping-restart; the server drops a client silent for twice that)");
    }

    private void timer(Directive d, String property) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        Integer v = Args.number(r, d, 0, 0, 86400);
        if (v != null) {
            m.handshake().put(property, v);
            m.sawKeepalive();
            r.mapped(d, Pids.HANDSHAKE + ": " + property + " = " + v + " (pushed to clients)");
        }
    }

    private void dataCiphers(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        OptionValues.Ciphers c = OptionValues.ciphers(d.arg(0));
        if (c.kept().isEmpty()) {
            r.unsupported(d, "none of these ciphers is supported (" + OptionValues.AEAD_NAMES + ")");
            return;
        }
        m.handshake().put("data.ciphers", c.joined());
        m.sawDataCiphers();
        if (c.dropped().isEmpty()) {
            r.mapped(d, Pids.HANDSHAKE + ": data.ciphers = " + c.joined());
        } else {
            r.unsupported(d, "imported as data.ciphers = " + c.joined() + "; not supported: "
                    + String.join(", ", c.dropped()) + " (Tunnelbus has AEAD ciphers only)");
        }
    }

    private void cipher(Directive d) {
        String c = d.arg(0) == null ? "" : d.arg(0).toUpperCase(Locale.ROOT);
        if (OptionValues.AEAD_CIPHERS.contains(c)) {
            r.note(d, "no setting needed: OpenVPN 2.6 uses 'cipher' only for clients that cannot negotiate; "
                    + "negotiating clients get one of data.ciphers");
        } else {
            r.unsupported(d, "'" + d.arg(0) + "' is not an AEAD cipher; clients that cannot negotiate a cipher "
                    + "(OpenVPN 2.3 and older) are not served, 2.4+ clients negotiate one of data.ciphers");
        }
    }

    private void clientToClient(Directive d) {
        m.routing().put("client.to.client", Boolean.TRUE);
        r.mapped(d, Pids.ROUTING + ": client.to.client = true");
    }

    private void deviceNumber(Directive d, String property, int min, int max) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        Integer v = Args.number(r, d, 0, min, max);
        if (v != null) {
            m.device().put(property, v);
            r.mapped(d, Pids.DEVICE + ": " + property + " = " + v);
        }
    }
}
