package org.tunnelbus.device.tun.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;

/** Write-side coalescing without the kernel: which packets form a run, and the super-packet's headers. */
class TcpCoalescerTest {
    private final TestPacketPool alloc = TestAllocator.small();
    private final Native nat = Native.get();

    @Test
    void consecutiveIpv4SegmentsMergeIntoOneSuperPacketWithAPartialChecksum() {
        PacketBatch batch = new PacketBatch(8);
        batch.add(tcp4(1000, 1000, 0x10, 7));
        batch.add(tcp4(2000, 1000, 0x10, 7));
        batch.add(tcp4(3000, 500, 0x18, 7)); // PSH on the last
        batch.add(tcp4(3500, 1000, 0x10, 7)); // after PSH: a new run
        Packet[] run = new Packet[TcpCoalescer.MAX_SEGMENTS];
        assertEquals(3, TcpCoalescer.collect(batch, 0, 4, run));
        byte[] reference = concatenated(run, 3, 20);

        TcpCoalescer.Scratch s = new TcpCoalescer.Scratch(nat);
        long bytes = TcpCoalescer.merge(nat, run, 3, s);

        Packet first = run[0];
        ByteBuffer b = first.buffer();
        int h = first.offset();
        assertEquals(10 + 20 + 32 + 2500, bytes);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(b, h));
        assertEquals(VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.gsoType(b, h));
        assertEquals(52, VirtioNetHeader.hdrLen(b, h));
        assertEquals(1000, VirtioNetHeader.gsoSize(b, h));
        assertEquals(20, VirtioNetHeader.csumStart(b, h));
        assertEquals(16, VirtioNetHeader.csumOffset(b, h));
        int ip = h + 10;
        assertEquals(20 + 32 + 2500, b.getShort(ip + 2) & 0xffff);
        assertEquals(0, TcpCoalescer.fold(TcpCoalescer.sum(b, ip, 20, 0)) ^ 0xffff, "IPv4 header checksum valid");
        assertEquals(0x18, b.get(ip + 20 + 13), "PSH of the last segment");
        assertEquals(nat.address(run[1].buffer()) + run[1].offset() + 52, s.iov.getLong(16), "iovec points at the payload in place");
        assertEquals(1000, s.iov.getLong(24));

        // completing the partial checksum as the kernel does gives the checksum of the whole segment
        ByteBuffer whole = ByteBuffer.wrap(reference);
        whole.putShort(2, (short) (20 + 32 + 2500));
        whole.putShort(20 + 13, (short) 0);
        whole.put(20 + 13, (byte) 0x18);
        whole.putShort(20 + 16, (short) 0);
        long pseudo = TcpCoalescer.sum(whole, 12, 8, 6 + 32 + 2500);
        int expected = ~TcpCoalescer.fold(TcpCoalescer.sum(whole, 20, 32 + 2500, pseudo)) & 0xffff;
        whole.putShort(20 + 16, b.getShort(ip + 20 + 16));
        int completed = ~TcpCoalescer.fold(TcpCoalescer.sum(whole, 20, 32 + 2500, 0)) & 0xffff;
        assertEquals(expected, completed);
        for (int i = 0; i < 4; i++) {
            batch.get(i).release();
        }
    }

    @Test
    void ipv6SegmentsMerge() {
        PacketBatch batch = new PacketBatch(4);
        batch.add(tcp6(1, 1200));
        batch.add(tcp6(1201, 1200));
        batch.add(tcp6(2401, 1200));
        Packet[] run = new Packet[TcpCoalescer.MAX_SEGMENTS];
        assertEquals(3, TcpCoalescer.collect(batch, 0, 3, run));
        TcpCoalescer.merge(nat, run, 3, new TcpCoalescer.Scratch(nat));
        ByteBuffer b = run[0].buffer();
        int h = run[0].offset();
        assertEquals(VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoType(b, h));
        assertEquals(40, VirtioNetHeader.csumStart(b, h));
        assertEquals(20 + 3600, b.getShort(h + 10 + 4) & 0xffff);
        batch.releaseAll();
    }

    @Test
    void whatBreaksARun() {
        Packet[] run = new Packet[TcpCoalescer.MAX_SEGMENTS];
        assertEquals(1, runOf(run, tcp4(1000, 1000, 0x10, 7), tcp4(2500, 1000, 0x10, 7)), "sequence gap");
        assertEquals(1, runOf(run, tcp4(1000, 1000, 0x10, 7), tcp4(2000, 1000, 0x10, 8)), "other ports");
        assertEquals(1, runOf(run, tcp4(1000, 1000, 0x12, 7), tcp4(2000, 1000, 0x10, 7)), "SYN");
        assertEquals(3, runOf(run, tcp4(1000, 500, 0x10, 7), tcp4(1500, 500, 0x10, 7), tcp4(2000, 500, 0x10, 7)), "equal segments merge");
        assertEquals(2, runOf(run, tcp4(1000, 1000, 0x10, 7), tcp4(2000, 400, 0x10, 7), tcp4(2400, 1000, 0x10, 7)), "short segment ends it");
        assertEquals(1, runOf(run, tcp4(1000, 400, 0x10, 7), tcp4(1400, 1000, 0x10, 7)), "a longer segment cannot follow");
    }

    private int runOf(Packet[] run, Packet... ps) {
        PacketBatch batch = new PacketBatch(8);
        for (Packet p : ps) {
            batch.add(p);
        }
        int n = TcpCoalescer.collect(batch, 0, ps.length, run);
        batch.releaseAll();
        return n;
    }

    private static byte[] concatenated(Packet[] run, int n, int iph) {
        int hdr = iph + 32;
        int total = run[0].length();
        for (int i = 1; i < n; i++) {
            total += run[i].length() - hdr;
        }
        byte[] out = new byte[total];
        run[0].buffer().get(run[0].offset(), out, 0, run[0].length());
        int at = run[0].length();
        for (int i = 1; i < n; i++) {
            int len = run[i].length() - hdr;
            run[i].buffer().get(run[i].offset() + hdr, out, at, len);
            at += len;
        }
        return out;
    }

    /** IPv4/TCP 10.0.0.1:port -> 10.0.0.2:80 with 12 bytes of options (timestamps) and a payload pattern. */
    private Packet tcp4(int seq, int payload, int flags, int port) {
        Packet p = alloc.allocate();
        ByteBuffer b = p.buffer();
        int o = p.offset();
        int len = 20 + 32 + payload;
        for (int i = 0; i < len; i++) {
            b.put(o + i, (byte) (i * 7 + seq));
        }
        b.put(o, (byte) 0x45).put(o + 1, (byte) 0).putShort(o + 2, (short) len).putShort(o + 4, (short) seq).putShort(o + 6, (short) 0x4000);
        b.put(o + 8, (byte) 64).put(o + 9, (byte) 6).putShort(o + 10, (short) 0);
        b.putInt(o + 12, 0x0a000001).putInt(o + 16, 0x0a000002);
        int t = o + 20;
        b.putShort(t, (short) port).putShort(t + 2, (short) 80).putInt(t + 4, seq).putInt(t + 8, 99);
        b.put(t + 12, (byte) 0x80).put(t + 13, (byte) flags).putShort(t + 14, (short) 500).putShort(t + 16, (short) 0).putShort(t + 18, (short) 0);
        b.putInt(t + 20, 0x0101080a).putInt(t + 24, 1234).putInt(t + 28, 5678);
        p.setLength(len);
        return p;
    }

    private Packet tcp6(int seq, int payload) {
        Packet p = alloc.allocate();
        ByteBuffer b = p.buffer();
        int o = p.offset();
        int len = 40 + 20 + payload;
        for (int i = 0; i < len; i++) {
            b.put(o + i, (byte) i);
        }
        b.putInt(o, 0x60000000).putShort(o + 4, (short) (20 + payload)).put(o + 6, (byte) 6).put(o + 7, (byte) 64);
        int t = o + 40;
        b.putShort(t, (short) 4000).putShort(t + 2, (short) 80).putInt(t + 4, seq).putInt(t + 8, 1);
        b.put(t + 12, (byte) 0x50).put(t + 13, (byte) 0x10).putShort(t + 14, (short) 100);
        p.setLength(len);
        return p;
    }
}
