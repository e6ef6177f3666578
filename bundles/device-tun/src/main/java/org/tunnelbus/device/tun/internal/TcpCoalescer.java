package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * Write-side TCP coalescing (GRO) for an offload device in TUN mode: consecutive packets of a batch that are
 * consecutive segments of one TCP flow are written with one {@code writev(2)} as one GSO super-packet
 * (virtio-net header TCPV4/TCPV6), so the kernel takes up to 64 KiB per system call instead of one MTU.
 * Nothing is copied: the first packet's headers are rewritten in place (lengths, IPv4 header checksum, TCP
 * pseudo-header checksum for {@code NEEDS_CSUM}), the header goes into its headroom, and the iovec points at
 * the payloads of the following packets where they lie.
 *
 * <p>A run holds packets that the kernel's own GRO would merge: IPv4 without options and not fragmented,
 * or IPv6 without extension headers; same addresses, ports, TOS/traffic class and flow label, TTL/hop limit,
 * DF, ACK number, window and TCP options; flags ACK only (PSH allowed on the last one); each sequence number
 * follows the previous segment; every segment but the last carries exactly the first one's payload
 * ({@code gso_size}); at most 64 segments and 65535 bytes of IP packet. Anything else is written alone.
 */
final class TcpCoalescer {
    static final int MAX_SEGMENTS = 64;
    private static final int MAX_IP_LENGTH = 65535;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    /** What one writing thread reuses: the run and the iovec array (allocated once per thread). */
    static final class Scratch {
        final Packet[] run = new Packet[MAX_SEGMENTS];
        final ByteBuffer iov = ByteBuffer.allocateDirect(16 * MAX_SEGMENTS).order(ByteOrder.nativeOrder());
        final long iovAddress;

        Scratch(Native n) {
            iovAddress = n.address(iov);
        }
    }

    private TcpCoalescer() {
    }

    /**
     * The IP header length of a packet that may start a run (plain IPv4/IPv6 TCP, ACK set, no other flag but
     * PSH, payload, lengths consistent, headroom for the virtio-net header), or -1.
     */
    static int eligible(Packet p) {
        ByteBuffer b = p.buffer();
        int at = p.offset();
        int len = p.length();
        if (len < 40) {
            return -1;
        }
        int v = b.get(at) & 0xff;
        int iph;
        if (v == 0x45) {
            if (b.get(at + 9) != 6 || (b.getShort(at + 2) & 0xffff) != len || (b.getShort(at + 6) & 0x3fff) != 0) {
                return -1; // not TCP, padded, or a fragment (MF or offset)
            }
            iph = 20;
        } else if ((v & 0xf0) == 0x60) {
            if (len < 60 || b.get(at + 6) != 6 || (b.getShort(at + 4) & 0xffff) + 40 != len) {
                return -1;
            }
            iph = 40;
        } else {
            return -1;
        }
        int thl = tcpHeaderLength(b, at + iph);
        int flags = b.get(at + iph + 13) & 0xff;
        if (thl < 20 || iph + thl >= len || (flags & ~PSH) != ACK) {
            return -1;
        }
        return iph;
    }

    static int tcpHeaderLength(ByteBuffer b, int tcp) {
        return ((b.get(tcp + 12) & 0xf0) >>> 4) * 4;
    }

    /**
     * Collects the run that starts at {@code batch[from]} into {@code out}; returns its length (1 when the
     * packet is written alone).
     */
    static int collect(PacketBatch batch, int from, int size, Packet[] out) {
        Packet first = batch.get(from);
        out[0] = first;
        int iph = eligible(first);
        if (iph < 0 || first.headroom() < VirtioNetHeader.SIZE) {
            return 1;
        }
        ByteBuffer fb = first.buffer();
        int f = first.offset();
        int thl = tcpHeaderLength(fb, f + iph);
        int gso = first.length() - iph - thl;
        int total = first.length();
        Packet prev = first;
        int n = 1;
        for (int j = from + 1; j < size && n < MAX_SEGMENTS; j++) {
            Packet q = batch.get(j);
            if (q == null || !follows(first, prev, q, iph, thl, gso) || total + q.length() - iph - thl > MAX_IP_LENGTH) {
                break;
            }
            out[n++] = q;
            total += q.length() - iph - thl;
            prev = q;
            if (q.length() - iph - thl < gso) {
                break; // a short segment ends a run
            }
        }
        return n;
    }

    /** True when {@code q} continues the run of {@code first} whose last packet so far is {@code prev}. */
    private static boolean follows(Packet first, Packet prev, Packet q, int iph, int thl, int gso) {
        ByteBuffer pb = prev.buffer();
        int p = prev.offset();
        if (prev.length() - iph - thl != gso || (pb.get(p + iph + 13) & PSH) != 0) {
            return false; // only the last segment may be short or pushed
        }
        if (eligible(q) != iph) {
            return false;
        }
        ByteBuffer fb = first.buffer();
        int f = first.offset();
        ByteBuffer qb = q.buffer();
        int o = q.offset();
        int payload = q.length() - iph - thl;
        if (payload > gso || tcpHeaderLength(qb, o + iph) != thl) {
            return false;
        }
        if (iph == 20) {
            // TOS, DF, TTL, addresses
            if (fb.get(f + 1) != qb.get(o + 1) || (fb.get(f + 6) & 0x40) != (qb.get(o + 6) & 0x40) || fb.get(f + 8) != qb.get(o + 8)
                    || !same(fb, f + 12, qb, o + 12, 8)) {
                return false;
            }
        } else if (fb.getInt(f) != qb.getInt(o) || fb.get(f + 7) != qb.get(o + 7) || !same(fb, f + 8, qb, o + 8, 32)) {
            return false; // traffic class and flow label, hop limit, addresses
        }
        int ft = f + iph;
        int qt = o + iph;
        // ports, ACK number, data offset, window, options
        if (fb.getInt(ft) != qb.getInt(qt) || fb.getInt(ft + 8) != qb.getInt(qt + 8) || fb.getShort(ft + 14) != qb.getShort(qt + 14)
                || !same(fb, ft + 20, qb, qt + 20, thl - 20)) {
            return false;
        }
        int prevSeq = pb.getInt(p + iph + 4);
        return qb.getInt(qt + 4) == prevSeq + gso;
    }

    private static boolean same(ByteBuffer a, int ai, ByteBuffer b, int bi, int n) {
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            if (a.getInt(ai + i) != b.getInt(bi + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (a.get(ai + i) != b.get(bi + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Turns the run into one super-packet: rewrites the first packet's headers, puts the virtio-net header in
     * its headroom and fills the iovec ({@code n} entries).
     *
     * @return the number of bytes the iovec describes
     */
    static long merge(Native nat, Packet[] run, int n, Scratch s) {
        Packet first = run[0];
        ByteBuffer b = first.buffer();
        int f = first.offset();
        int iph = (b.get(f) & 0xf0) == 0x40 ? 20 : 40;
        int t = f + iph;
        int thl = tcpHeaderLength(b, t);
        int gso = first.length() - iph - thl;
        int payload = 0;
        for (int i = 0; i < n; i++) {
            payload += run[i].length() - iph - thl;
        }
        int tcpLength = thl + payload;
        if ((run[n - 1].buffer().get(run[n - 1].offset() + iph + 13) & PSH) != 0) {
            b.put(t + 13, (byte) (b.get(t + 13) | PSH));
        }
        long pseudo;
        if (iph == 20) {
            b.putShort(f + 2, (short) (iph + tcpLength));
            b.putShort(f + 10, (short) 0);
            b.putShort(f + 10, (short) ~fold(sum(b, f, 20, 0)));
            pseudo = sum(b, f + 12, 8, 6 + tcpLength);
        } else {
            b.putShort(f + 4, (short) tcpLength);
            pseudo = sum(b, f + 8, 32, 6 + tcpLength);
        }
        // NEEDS_CSUM: the checksum field holds the folded pseudo-header sum, not inverted (as Linux keeps it)
        b.putShort(t + 16, (short) fold(pseudo));
        int h = first.prepend(VirtioNetHeader.SIZE);
        VirtioNetHeader.write(b, h, VirtioNetHeader.F_NEEDS_CSUM, iph == 20 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                iph + thl, gso, iph, 16);
        ByteBuffer iov = s.iov;
        iov.putLong(0, nat.address(b) + h);
        iov.putLong(8, first.length());
        long bytes = first.length();
        for (int i = 1; i < n; i++) {
            Packet q = run[i];
            int len = q.length() - iph - thl;
            iov.putLong(16 * i, nat.address(q.buffer()) + q.offset() + iph + thl);
            iov.putLong(16 * i + 8, len);
            bytes += len;
        }
        return bytes;
    }

    /** Ones'-complement sum of {@code len} bytes (even) at {@code at}, plus {@code initial}; not folded. */
    static long sum(ByteBuffer b, int at, int len, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += b.getShort(at + i) & 0xffff;
        }
        if (i < len) {
            s += (b.get(at + i) & 0xff) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
