package org.tunnelbus.api.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketIdCounterTest {

    /** §2.4: incremented before use, so the first packet carries 1; time fixed at first use. */
    @Test
    void firstIdIsOneAndTimeIsFixedAtFirstUse() {
        PacketIdCounter c = PacketIdCounter.longForm();
        assertEquals(0, c.time());
        assertEquals(1, c.next(1000));
        assertEquals(1000, c.time());
        assertEquals(2, c.next(1005));
        assertEquals(1000, c.time());
    }

    @Test
    void shortFormIsExhaustedInsteadOfWrapping() {
        PacketIdCounter c = PacketIdCounter.shortFormAfter(0xFFFFFFFEL);
        assertEquals(0xFFFFFFFFL, c.next(0));
        assertEquals(PacketIdCounter.EXHAUSTED, c.next(0));
        assertEquals(PacketIdCounter.EXHAUSTED, c.next(10));
    }

    @Test
    void longFormWrapsToANewTimeOnlyWhenTheClockMoved() {
        PacketIdCounter c = PacketIdCounter.longFormAfter(0xFFFFFFFEL);
        assertEquals(0xFFFFFFFFL, c.next(500));
        assertEquals(PacketIdCounter.EXHAUSTED, c.next(500));
        assertEquals(1, c.next(501));
        assertEquals(501, c.time());
    }

    /** §6.3: PACKET_ID_WRAP_TRIGGER. */
    @Test
    void renegotiationTriggerAt0xFF000000() {
        PacketIdCounter c = PacketIdCounter.shortFormAfter(0xFEFFFFFEL);
        c.next(0);
        assertFalse(c.closeToWrapping());
        c.next(0);
        assertTrue(c.closeToWrapping());
        assertEquals(0xFF000000L, c.lastId());
    }

    /** §2.6: a tls-crypt-v2 client with early negotiation starts at 0x0f000000. */
    @Test
    void earlyNegotiationStart() {
        assertEquals(0x0f000001L, PacketIdCounter.longFormAfter(0x0f000000L).next(1));
    }
}
