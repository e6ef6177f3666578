package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

    @Test
    void roundTripLittleEndian() {
        ByteBuffer b = ByteBuffer.allocateDirect(32);
        VirtioNetHeader.write(b, 4, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 66, 1448, 20, 16);
        assertEquals(1, b.get(4));
        assertEquals(1, b.get(5));
        assertEquals(66, b.get(6));
        assertEquals(0, b.get(7));
        assertEquals((byte) (1448 & 0xff), b.get(8));
        assertEquals(1448 >> 8, b.get(9));
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(b, 4));
        assertEquals(VirtioNetHeader.GSO_TCPV4, VirtioNetHeader.gsoType(b, 4));
        assertEquals(66, VirtioNetHeader.hdrLen(b, 4));
        assertEquals(1448, VirtioNetHeader.gsoSize(b, 4));
        assertEquals(20, VirtioNetHeader.csumStart(b, 4));
        assertEquals(16, VirtioNetHeader.csumOffset(b, 4));
        assertTrue(VirtioNetHeader.plausible(b, 4, 3000));
        assertFalse(VirtioNetHeader.plausible(b, 4, 30), "checksum field beyond the packet");
    }

    @Test
    void noneIsAllZeros() {
        ByteBuffer b = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++) {
            b.put(i, (byte) 0x5a);
        }
        VirtioNetHeader.writeNone(b, 2);
        for (int i = 2; i < 12; i++) {
            assertEquals(0, b.get(i));
        }
        assertEquals(0x5a, b.get(12));
        assertTrue(VirtioNetHeader.plausible(b, 2, 0));
        b.put(3, (byte) 9);
        assertFalse(VirtioNetHeader.plausible(b, 2, 100), "unknown gso type");
    }
}
