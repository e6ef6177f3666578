package org.tunnelbus.route.ip.internal;


import org.tunnelbus.api.packet.Packet;

/** Reads the addresses of an IPv4 or IPv6 header in place, without allocating. */
final class IpHeader {
    static final int V4 = 4;
    static final int V6 = 6;

    private IpHeader() {
    }

    /** 4, 6, or 0 when the packet is too short to carry the header it claims. */
    static int version(Packet p) {
        if (p.length() < 1) {
            return 0;
        }
        int v = (p.get(0) & 0xf0) >>> 4;
        if (v == V4 && p.length() >= 20) {
            return V4;
        }
        if (v == V6 && p.length() >= 40) {
            return V6;
        }
        return 0;
    }

    static int source4(Packet p) {
        return p.buffer().getInt(p.offset() + 12);
    }

    static int destination4(Packet p) {
        return p.buffer().getInt(p.offset() + 16);
    }

    static long sourceHi6(Packet p) {
        return p.buffer().getLong(p.offset() + 8);
    }

    static long sourceLo6(Packet p) {
        return p.buffer().getLong(p.offset() + 16);
    }

    static long destinationHi6(Packet p) {
        return p.buffer().getLong(p.offset() + 24);
    }

    static long destinationLo6(Packet p) {
        return p.buffer().getLong(p.offset() + 32);
    }

    /** True for IPv6 multicast (ff00::/8) and link-local (fe80::/10) destinations, which never leave the host's link. */
    static boolean isLinkScoped6(long hi) {
        return (hi >>> 56) == 0xff || (hi >>> 54) == (0xfe80L >>> 6);
    }

    /** True for IPv4 multicast and limited broadcast. */
    static boolean isMulticastOrBroadcast4(int address) {
        return (address >>> 28) == 0xe || address == -1;
    }

}
