package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;

/**
 * Picks the queue a packet is written on in a multi-queue device: a symmetric hash of its addresses and, for
 * TCP/UDP, ports (the same for both directions of a flow). The kernel learns from the queue a flow was
 * written on and steers that flow's packets to the same queue for reading ({@code tun_flow_update}), so
 * hashing here spreads the flows over the readers; writing everything on one queue would pull every flow
 * onto one reader.
 */
final class FlowHash {
    private FlowHash() {
    }

    /**
     * @param at   offset of the data (the virtio-net header, Ethernet header or IP header)
     * @param vnet the data starts with a virtio-net header (only when {@code at}'s first byte is below 8)
     * @param tap  an Ethernet header precedes the IP header
     */
    static int queue(ByteBuffer b, int at, int len, boolean vnet, boolean tap, int queues) {
        int end = at + len;
        if (vnet && len > 0 && (b.get(at) & 0xff) < 8) {
            at += VirtioNetHeader.SIZE;
        }
        if (tap) {
            if (at + 14 > end) {
                return 0;
            }
            int type = b.getShort(at + 12) & 0xffff;
            if (type != 0x0800 && type != 0x86dd) {
                return 0;
            }
            at += 14;
        }
        if (at + 20 > end) {
            return 0;
        }
        int v = b.get(at) & 0xf0;
        int h;
        int proto;
        int l4;
        if (v == 0x40) {
            h = b.getInt(at + 12) ^ b.getInt(at + 16);
            proto = b.get(at + 9);
            l4 = at + (b.get(at) & 0x0f) * 4;
            if ((b.getShort(at + 6) & 0x1fff) != 0) {
                proto = 0; // a later fragment has no ports
            }
        } else if (v == 0x60 && at + 40 <= end) {
            h = 0;
            for (int i = 8; i < 40; i += 4) {
                h ^= b.getInt(at + i);
            }
            proto = b.get(at + 6);
            l4 = at + 40;
        } else {
            return 0;
        }
        if ((proto == 6 || proto == 17) && l4 + 4 <= end) {
            h ^= (b.getShort(l4) & 0xffff) ^ (b.getShort(l4 + 2) & 0xffff);
        }
        h ^= proto;
        // murmur3 finalizer
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h & 0x7fffffff) % queues;
    }
}
