package org.tunnelbus.api.route;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv4 or IPv6 prefix, e.g. {@code 10.8.0.2/32}. Host bits of {@code address} are cleared.
 *
 * @param address the network address
 * @param length  the prefix length in bits
 */
public record Prefix(InetAddress address, int length) {
    public Prefix {
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " outside 0.." + max + " for " + address.getHostAddress());
        }
        address = masked(address, length);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x::y/n} or a bare address (a host prefix). Only literal addresses
     * are accepted: no name is ever resolved.
     */
    public static Prefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.matches("[0-9.]+"))) {
            throw new IllegalArgumentException("not an address prefix: '" + text + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(addr);
            int len = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(t.substring(slash + 1));
            return new Prefix(a, len);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not an address prefix: '" + text + "'", e);
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The network as a big-endian int (IPv4 only). */
    public int network4() {
        return ByteBuffer.wrap(address.getAddress()).getInt();
    }

    /** The upper 64 bits of the network (IPv6 only). */
    public long networkHi() {
        return ByteBuffer.wrap(address.getAddress()).getLong(0);
    }

    /** The lower 64 bits of the network (IPv6 only). */
    public long networkLo() {
        return ByteBuffer.wrap(address.getAddress()).getLong(8);
    }

    /** True if {@code addr} (raw bytes of the same family) falls in this prefix. */
    public boolean contains(byte[] addr) {
        byte[] net = address.getAddress();
        if (addr.length != net.length) {
            return false;
        }
        return masked(addr, length).equals(ByteBuffer.wrap(net));
    }

    private static ByteBuffer masked(byte[] raw, int length) {
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, length - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return ByteBuffer.wrap(out);
    }

    private static InetAddress masked(InetAddress a, int length) {
        try {
            return InetAddress.getByAddress(masked(a.getAddress(), length).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
