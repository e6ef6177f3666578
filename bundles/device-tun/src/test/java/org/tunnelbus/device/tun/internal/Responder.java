package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;

import org.tunnelbus.api.packet.Packet;

/**
 * The test stage: turns, in place, an ICMP/ICMPv6 echo request into its echo reply and an ARP request into
 * the reply of a made-up host, so the packet can be written straight back into the device.
 */
final class Responder {
    /** The MAC address of the made-up host behind a TAP device. */
    static final byte[] PEER_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    private Responder() {
    }

    /** TUN: answers an echo request in place; false for anything else. */
    static boolean answerIp(Packet p, int at) {
        ByteBuffer b = p.buffer();
        int start = p.offset() + at;
        int len = p.length() - at;
        if (len < 20) {
            return false;
        }
        int version = (b.get(start) & 0xf0) >>> 4;
        if (version == 4) {
            int ihl = (b.get(start) & 0x0f) * 4;
            if (b.get(start + 9) != 1 || len < ihl + 8 || (b.get(start + ihl) & 0xff) != 8) {
                return false;
            }
            swap(b, start + 12, start + 16, 4);
            b.put(start + ihl, (byte) 0);
            b.putShort(start + ihl + 2, (short) 0);
            b.putShort(start + ihl + 2, (short) checksum(b, start + ihl, len - ihl, 0));
            return true;
        }
        if (version == 6) {
            if (len < 48 || b.get(start + 6) != 58 || (b.get(start + 40) & 0xff) != 128) {
                return false;
            }
            swap(b, start + 8, start + 24, 16);
            b.put(start + 40, (byte) 129);
            b.putShort(start + 42, (short) 0);
            int plen = len - 40;
            long pseudo = 0;
            for (int i = 0; i < 32; i += 2) {
                pseudo += b.getShort(start + 8 + i) & 0xffff;
            }
            pseudo += plen + 58;
            b.putShort(start + 42, (short) checksum(b, start + 40, plen, pseudo));
            return true;
        }
        return false;
    }

    /** TAP: answers an ARP request for any address, or an echo request inside an Ethernet frame. */
    static boolean answerEthernet(Packet p) {
        ByteBuffer b = p.buffer();
        int s = p.offset();
        if (p.length() < 42) {
            return false;
        }
        int type = b.getShort(s + 12) & 0xffff;
        if (type == 0x0806) {
            int a = s + 14;
            if ((b.getShort(a + 6) & 0xffff) != 1) {
                return false;
            }
            byte[] sha = new byte[6];
            byte[] spa = new byte[4];
            byte[] tpa = new byte[4];
            b.get(a + 8, sha);
            b.get(a + 14, spa);
            b.get(a + 24, tpa);
            b.put(s, sha).put(s + 6, PEER_MAC);
            b.putShort(a + 6, (short) 2);
            b.put(a + 8, PEER_MAC).put(a + 14, tpa).put(a + 18, sha).put(a + 24, spa);
            p.setLength(42);
            return true;
        }
        if (type == 0x0800 || type == 0x86dd) {
            if (!answerIp(p, 14)) {
                return false;
            }
            byte[] src = new byte[6];
            b.get(s + 6, src);
            b.put(s, src).put(s + 6, PEER_MAC);
            return true;
        }
        return false;
    }

    /** Ones'-complement checksum of {@code len} bytes at {@code at}, plus a precomputed sum. */
    static int checksum(ByteBuffer b, int at, int len, long sum) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += b.getShort(at + i) & 0xffff;
        }
        if (i < len) {
            sum += (b.get(at + i) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void swap(ByteBuffer b, int x, int y, int n) {
        for (int i = 0; i < n; i++) {
            byte t = b.get(x + i);
            b.put(x + i, b.get(y + i));
            b.put(y + i, t);
        }
    }
}
