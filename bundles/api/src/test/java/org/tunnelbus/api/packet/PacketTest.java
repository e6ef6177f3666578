package org.tunnelbus.api.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class PacketTest {
    private final ByteBuffer backing = ByteBuffer.allocateDirect(128 + 2048);
    private final Packet packet = new Packet(backing, 128, p -> { });

    @Test
    void bufferAllowsAbsoluteAccessBeyondTheLimitAnEarlierUseLeft() {
        packet.put(new byte[52], 0, 52);
        packet.data(); // limit 180: what a transport sending a small packet leaves behind
        packet.release();
        packet.claim();
        packet.setRegion(128, 72); // the next use: a longer packet read into the same buffer

        ByteBuffer b = packet.buffer();
        b.put(128 + 71, (byte) 7); // fails with a stale limit of 180
        assertEquals(7, b.get(199));
        assertEquals(0, b.position());
        assertEquals(backing.capacity(), b.limit());
    }

    @Test
    void dataNarrowsToTheRegion() {
        packet.put(new byte[] { 1, 2, 3 }, 0, 3);
        ByteBuffer d = packet.data();
        assertEquals(128, d.position());
        assertEquals(3, d.remaining());
    }

    @Test
    void claimResetsTheRegionAndSecondReleaseIsABug() {
        packet.put(new byte[10], 0, 10);
        packet.release();
        assertTrue(packet.isFree());
        assertThrows(IllegalStateException.class, packet::release);
        packet.claim();
        assertEquals(128, packet.offset());
        assertEquals(0, packet.length());
    }
}
