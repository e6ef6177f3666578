package org.tunnelbus.transport.tcp.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;

/** The 2-byte length framing without sockets: split and coalesced reads, bad lengths, the largest packet. */
class FrameDecoderTest {
    private final TestPacketPool pool = new TestPacketPool(16, 16, 0xFFFF);

    private final class Collect implements FrameDecoder.Output {
        final List<byte[]> frames = new ArrayList<>();
        int discarded;
        boolean poolEmpty;

        @Override
        public Packet allocate() {
            return poolEmpty ? null : pool.allocate();
        }

        @Override
        public void frame(Packet p) {
            byte[] b = new byte[p.length()];
            p.data().get(b);
            p.release();
            frames.add(b);
        }

        @Override
        public void discarded() {
            discarded++;
        }
    }

    private static byte[] framed(byte[]... packets) {
        int total = 0;
        for (byte[] p : packets) {
            total += 2 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] p : packets) {
            b.putShort((short) p.length).put(p);
        }
        return b.array();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void severalPacketsInOneRead() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        assertNull(d.decode(ByteBuffer.wrap(framed(bytes(14, 1), bytes(1, 2), bytes(1400, 3))), out));
        assertEquals(3, out.frames.size());
        assertArrayEquals(bytes(1400, 3), out.frames.get(2));
        assertEquals(0, pool.outstanding());
    }

    @Test
    void everySplitPointGivesTheSamePackets() {
        byte[] stream = framed(bytes(100, 1), bytes(3, 2), bytes(50, 3));
        for (int cut = 0; cut <= stream.length; cut++) {
            Collect out = new Collect();
            FrameDecoder d = new FrameDecoder(pool.capacity());
            assertNull(d.decode(ByteBuffer.wrap(stream, 0, cut), out));
            assertNull(d.decode(ByteBuffer.wrap(stream, cut, stream.length - cut), out));
            assertEquals(3, out.frames.size(), "cut at " + cut);
            assertArrayEquals(bytes(3, 2), out.frames.get(1), "cut at " + cut);
            assertEquals(0, pool.outstanding());
        }
    }

    @Test
    void oneByteReads() {
        byte[] stream = framed(bytes(7, 1), bytes(300, 2));
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        for (byte b : stream) {
            assertNull(d.decode(ByteBuffer.wrap(new byte[] {b}), out));
        }
        assertEquals(2, out.frames.size());
        assertArrayEquals(bytes(300, 2), out.frames.get(1));
    }

    @Test
    void zeroLengthBreaksTheStream() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        assertNotNull(d.decode(ByteBuffer.wrap(new byte[] {0, 0, 1, 2}), out));
        assertEquals(0, out.frames.size());
    }

    @Test
    void lengthAboveThePacketBufferBreaksTheStream() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(1500);
        assertNull(d.decode(ByteBuffer.wrap(framed(bytes(1500, 1))), out), "exactly the buffer size fits");
        String broken = d.decode(ByteBuffer.wrap(new byte[] {0x05, (byte) 0xDD}), out); // 1501
        assertNotNull(broken);
        assertEquals(1, out.frames.size());
    }

    @Test
    void theLargestLengthFits() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        assertNull(d.decode(ByteBuffer.wrap(framed(bytes(0xFFFF, 9))), out));
        assertArrayEquals(bytes(0xFFFF, 9), out.frames.get(0));
    }

    @Test
    void anEmptyPoolDiscardsThePacketAndKeepsTheStreamInSync() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        out.poolEmpty = true;
        assertNull(d.decode(ByteBuffer.wrap(framed(bytes(40, 1))), out));
        out.poolEmpty = false;
        assertNull(d.decode(ByteBuffer.wrap(framed(bytes(41, 2))), out));
        assertEquals(1, out.discarded);
        assertArrayEquals(bytes(41, 2), out.frames.get(0));
    }

    @Test
    void releaseFreesAHalfReadPacket() {
        Collect out = new Collect();
        FrameDecoder d = new FrameDecoder(pool.capacity());
        byte[] stream = framed(bytes(100, 1));
        assertNull(d.decode(ByteBuffer.wrap(stream, 0, 50), out));
        assertEquals(1, pool.outstanding());
        d.release();
        assertEquals(0, pool.outstanding());
    }
}
