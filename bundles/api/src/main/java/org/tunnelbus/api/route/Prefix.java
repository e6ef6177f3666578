package org.tunnelbus.api.route;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix, e.g. {@code 10.8.0.2/32}.
 *
 * @param address the network address (host bits ignored)
 * @param length  the prefix length in bits
 */
public record Prefix(InetAddress address, int length) {
    public Prefix {
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " outside 0.." + max);
        }
    }

    /** Parses {@code a.b.c.d/n}, {@code x::y/n} or a bare address (a host prefix). */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        try {
            InetAddress a = InetAddress.getByName(slash < 0 ? text.trim() : text.substring(0, slash).trim());
            int len = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
            return new Prefix(a, len);
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address prefix: '" + text + "'", e);
        }
    }

    /** True if {@code addr} (raw bytes of the same family) falls in this prefix. */
    public boolean contains(byte[] addr) {
        byte[] net = address.getAddress();
        if (addr.length != net.length) {
            return false;
        }
        int full = length / 8;
        if (!Arrays.equals(net, 0, full, addr, 0, full)) {
            return false;
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (net[full] & mask) == (addr[full] & mask);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
