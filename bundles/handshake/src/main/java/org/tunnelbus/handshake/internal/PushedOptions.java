package org.tunnelbus.handshake.internal;

import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;

/**
 * Client side: reads the options of a PUSH_REPLY into a {@link TunnelConfig}. Unknown options are kept
 * in {@link TunnelConfig#options()} for whoever understands them (DNS, redirect-gateway, ...).
 */
final class PushedOptions {
    private PushedOptions() {
    }

    static TunnelConfig parse(List<String> options) throws HandshakeRefusedException {
        String address = null;
        String gateway = null;
        String topology = "net30";
        String cipher = null;
        int ping = 0;
        int pingRestart = 0;
        List<Prefix> routes = new ArrayList<>();
        for (String option : options) {
            String[] w = option.trim().split("\\s+");
            try {
                switch (w[0]) {
                case "ifconfig" -> address = w.length >= 3 ? w[1] + "/" + maskLength(w[2]) : bad(option);
                case "route-gateway" -> gateway = w.length >= 2 ? w[1] : bad(option);
                case "topology" -> topology = w.length >= 2 ? w[1] : bad(option);
                case "cipher" -> cipher = w.length >= 2 ? w[1] : bad(option);
                case "ping" -> ping = number(option, w);
                case "ping-restart" -> pingRestart = number(option, w);
                case "route" -> routes.add(w.length >= 3 ? Prefix.parse(w[1] + "/" + maskLength(w[2]))
                        : w.length == 2 ? Prefix.parse(w[1]) : null);
                default -> { }
                }
            } catch (IllegalArgumentException e) {
                throw new HandshakeRefusedException("bad pushed option '" + option + "': " + e.getMessage());
            }
        }
        routes.removeIf(r -> r == null);
        return new TunnelConfig(address, gateway, topology, cipher, ping, pingRestart, routes, options);
    }

    private static int maskLength(String mask) throws IllegalArgumentException {
        int bits = Prefix.parse(mask).network4();
        int len = Integer.bitCount(bits);
        if (bits != (len == 0 ? 0 : -1 << (32 - len))) {
            throw new IllegalArgumentException("not a netmask: " + mask);
        }
        return len;
    }

    private static int number(String option, String[] w) throws HandshakeRefusedException {
        try {
            return Integer.parseInt(w[1]);
        } catch (RuntimeException e) {
            throw new HandshakeRefusedException("bad pushed option '" + option + "'");
        }
    }

    private static String bad(String option) throws HandshakeRefusedException {
        throw new HandshakeRefusedException("bad pushed option '" + option + "'");
    }
}
