package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;

/**
 * The virtio-net header ({@code struct virtio_net_hdr}, 10 bytes, little-endian) that the kernel puts in
 * front of every packet read from, and expects in front of every packet written to, a device opened with
 * {@code IFF_VNET_HDR}. Static accessors over a buffer region: nothing is allocated.
 *
 * <pre>
 *  0  u8   flags        NEEDS_CSUM (1): checksum from csum_start, stored at csum_start + csum_offset
 *  1  u8   gso_type     NONE (0), TCPV4 (1), UDP (3), TCPV6 (4), UDP_L4 (5); ECN (0x80) or-ed in
 *  2  le16 hdr_len      bytes of L2..L4 headers (a hint)
 *  4  le16 gso_size     payload bytes per segment when gso_type is not NONE
 *  6  le16 csum_start   offset of the L4 header from the start of the packet
 *  8  le16 csum_offset  offset of the checksum field within the L4 header
 * </pre>
 */
final class VirtioNetHeader {
    static final int SIZE = 10;

    static final int F_NEEDS_CSUM = 1;
    static final int F_DATA_VALID = 2;

    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    static final int GSO_UDP_L4 = 5;
    static final int GSO_ECN = 0x80;

    private VirtioNetHeader() {
    }

    static int flags(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    static int gsoType(ByteBuffer b, int at) {
        return b.get(at + 1) & 0xff;
    }

    static int hdrLen(ByteBuffer b, int at) {
        return le16(b, at + 2);
    }

    static int gsoSize(ByteBuffer b, int at) {
        return le16(b, at + 4);
    }

    static int csumStart(ByteBuffer b, int at) {
        return le16(b, at + 6);
    }

    static int csumOffset(ByteBuffer b, int at) {
        return le16(b, at + 8);
    }

    /** Writes a header that says "one ordinary packet, checksum complete" (all zeros). */
    static void writeNone(ByteBuffer b, int at) {
        b.putLong(at, 0L);
        b.putShort(at + 8, (short) 0);
    }

    /** Writes a full header. */
    static void write(ByteBuffer b, int at, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        b.put(at, (byte) flags);
        b.put(at + 1, (byte) gsoType);
        putLe16(b, at + 2, hdrLen);
        putLe16(b, at + 4, gsoSize);
        putLe16(b, at + 6, csumStart);
        putLe16(b, at + 8, csumOffset);
    }

    /** True when the header is one a correct kernel writes for a region of {@code length} bytes behind it. */
    static boolean plausible(ByteBuffer b, int at, int length) {
        int type = gsoType(b, at) & ~GSO_ECN;
        if (type != GSO_NONE && type != GSO_TCPV4 && type != GSO_TCPV6 && type != GSO_UDP && type != GSO_UDP_L4) {
            return false;
        }
        if ((flags(b, at) & F_NEEDS_CSUM) != 0 && csumStart(b, at) + csumOffset(b, at) + 2 > length) {
            return false;
        }
        return type == GSO_NONE || gsoSize(b, at) > 0;
    }

    static String describe(ByteBuffer b, int at) {
        return "vnet[flags=" + flags(b, at) + " gso=" + gsoType(b, at) + " hdr_len=" + hdrLen(b, at) + " gso_size=" + gsoSize(b, at)
                + " csum_start=" + csumStart(b, at) + " csum_offset=" + csumOffset(b, at) + "]";
    }

    private static int le16(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8;
    }

    private static void putLe16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) v);
        b.put(at + 1, (byte) (v >>> 8));
    }

}
