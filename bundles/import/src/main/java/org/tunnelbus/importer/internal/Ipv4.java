package org.tunnelbus.importer.internal;

/** IPv4 dotted-quad arithmetic for 'server NETWORK NETMASK' and 'route NETWORK NETMASK'. */
final class Ipv4 {
    private Ipv4() {
    }

    static long parse(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address");
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    /** The prefix length of a contiguous netmask (255.255.255.0 -> 24). */
    static int prefixLength(String mask) {
        long m = parse(mask);
        int len = Long.bitCount(m);
        long expected = len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        if (m != expected) {
            throw new IllegalArgumentException("'" + mask + "' is not a contiguous netmask");
        }
        return len;
    }

    /** NETWORK/LEN, with NETWORK's host bits cleared. */
    static String prefix(String network, String mask) {
        int len = prefixLength(mask);
        long net = parse(network) & (len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL);
        return format(net) + "/" + len;
    }

    /** The first host of NETWORK/LEN, with the prefix length: what the server takes (10.8.0.0/24 -> 10.8.0.1/24). */
    static String firstHost(String network, String mask) {
        String p = prefix(network, mask);
        long net = parse(p.substring(0, p.indexOf('/')));
        return format(net + 1) + "/" + prefixLength(mask);
    }
}
