package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * What a later pipeline stage does with what an offload device reads (test code, TUN mode, IPv4/IPv6 TCP
 * only): a TCP super-packet is cut into MTU-sized segments with complete checksums; any other packet has its
 * partial checksum completed; the virtio-net header is stripped. So plain packets leave, as a tunnel carries
 * them.
 */
final class SoftwareGso {
    private SoftwareGso() {
    }

    /** Turns {@code p} (read with a virtio-net header) into plain packets added to {@code out}; releases it when cut. */
    static void segment(Packet p, PacketAllocator alloc, PacketBatch out) {
        ByteBuffer b = p.buffer();
        int h = p.offset();
        int type = VirtioNetHeader.gsoType(b, h) & ~VirtioNetHeader.GSO_ECN;
        int flags = VirtioNetHeader.flags(b, h);
        int csumStart = VirtioNetHeader.csumStart(b, h);
        int csumOffset = VirtioNetHeader.csumOffset(b, h);
        int gso = VirtioNetHeader.gsoSize(b, h);
        p.trimFront(VirtioNetHeader.SIZE);
        if (type == VirtioNetHeader.GSO_NONE) {
            if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                int at = p.offset() + csumStart;
                long s = TcpCoalescer.sum(b, at, p.length() - csumStart, 0);
                b.putShort(at + csumOffset, (short) ~TcpCoalescer.fold(s));
            }
            out.add(p);
            return;
        }
        int f = p.offset();
        boolean v4 = (b.get(f) & 0xf0) == 0x40;
        int iph = v4 ? (b.get(f) & 0x0f) * 4 : 40;
        int thl = TcpCoalescer.tcpHeaderLength(b, f + iph);
        int hdr = iph + thl;
        int payload = p.length() - hdr;
        int seq = b.getInt(f + iph + 4);
        int tcpFlags = b.get(f + iph + 13) & 0xff;
        int id = v4 ? b.getShort(f + 4) & 0xffff : 0;
        for (int off = 0, k = 0; off < payload; off += gso, k++) {
            int len = Math.min(gso, payload - off);
            Packet s = alloc.allocate();
            if (s == null) {
                break; // pool empty: the rest is lost, TCP resends
            }
            ByteBuffer sb = s.buffer();
            int o = s.offset();
            for (int i = 0; i < hdr; i++) {
                sb.put(o + i, b.get(f + i));
            }
            sb.put(o + hdr, b.slice(f + hdr + off, len), 0, len);
            s.setLength(hdr + len);
            boolean last = off + len >= payload;
            int fl = tcpFlags;
            if (!last) {
                fl &= ~0x09; // PSH, FIN only on the last segment
            }
            if (k > 0) {
                fl &= ~0x80; // CWR only on the first
            }
            sb.put(o + iph + 13, (byte) fl);
            sb.putInt(o + iph + 4, seq + off);
            long pseudo;
            if (v4) {
                sb.putShort(o + 2, (short) (hdr + len));
                sb.putShort(o + 4, (short) (id + k));
                sb.putShort(o + 10, (short) 0);
                sb.putShort(o + 10, (short) ~TcpCoalescer.fold(TcpCoalescer.sum(sb, o, iph, 0)));
                pseudo = TcpCoalescer.sum(sb, o + 12, 8, 6 + thl + len);
            } else {
                sb.putShort(o + 4, (short) (thl + len));
                pseudo = TcpCoalescer.sum(sb, o + 8, 32, 6 + thl + len);
            }
            sb.putShort(o + iph + 16, (short) 0);
            sb.putShort(o + iph + 16, (short) ~TcpCoalescer.fold(TcpCoalescer.sum(sb, o + iph, thl + len, pseudo)));
            out.add(s);
        }
        p.release();
    }
}
