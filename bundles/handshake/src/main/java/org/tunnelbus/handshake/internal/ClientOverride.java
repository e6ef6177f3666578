package org.tunnelbus.handshake.internal;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import org.tunnelbus.api.route.Prefix;

/**
 * A validated {@link ClientOverrideConfig}. Checks that need the tunnel network (the fixed address lies in
 * it) are made when the client connects, against the network in force then.
 */
record ClientOverride(String name, InetAddress address, List<String> push, boolean pushReset, List<Prefix> iroutes,
        boolean disabled) {

    static ClientOverride from(ClientOverrideConfig c) {
        String name = c.name() == null ? "" : c.name().trim();
        if (name.isEmpty()) {
            throw new PushSettings.InvalidSettingException("name", c.name(), "names no client");
        }
        InetAddress address = null;
        if (c.address() != null && !c.address().isBlank()) {
            Prefix p = parse("address", c.address().trim());
            if (!p.isIpv4() || p.length() != 32) {
                throw new PushSettings.InvalidSettingException("address", c.address(), "must be one IPv4 address");
            }
            address = p.address();
        }
        List<String> push = PushSettings.options(c.push());
        List<Prefix> iroutes = Arrays.stream(c.iroute()).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).map(s -> parse("iroute", s)).toList();
        return new ClientOverride(name, address, push, c.push_reset(), iroutes, c.disable());
    }

    /** {@code 10.1.0.0/24}, {@code 10.1.0.0 255.255.255.0} (stock --iroute form) or one address. */
    private static Prefix parse(String property, String value) {
        try {
            String[] parts = value.split("\\s+");
            if (parts.length == 2) {
                return Prefix.parse(parts[0] + "/" + maskLength(parts[1]));
            }
            return Prefix.parse(value);
        } catch (IllegalArgumentException e) {
            throw new PushSettings.InvalidSettingException(property, value, e.getMessage());
        }
    }

    private static int maskLength(String mask) {
        Prefix m = Prefix.parse(mask);
        int bits = m.network4();
        int length = Integer.bitCount(bits);
        if (!m.isIpv4() || bits != (length == 0 ? 0 : -1 << (32 - length))) {
            throw new IllegalArgumentException("'" + mask + "' is not a netmask");
        }
        return length;
    }
}
