package org.tunnelbus.openvpn.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;

class EarlyNegotiationTlvsTest {

    /** §2.6: the server's RESEND_WKC flag TLV. */
    @Test
    void writesAndReadsTheResendWkcFlag() {
        ByteBuffer out = ByteBuffer.allocate(EarlyNegotiationTlvs.FLAGS_TLV_LENGTH);
        EarlyNegotiationTlvs.writeFlags(out, EarlyNegotiationTlvs.FLAG_RESEND_WKC);
        assertEquals("000100020001", Hex.written(out));
        assertEquals(1, EarlyNegotiationTlvs.parseFlags(out.flip()));
    }

    @Test
    void emptyPayloadHasNoFlagsAndUnknownTypesAreSkipped() {
        assertEquals(0, EarlyNegotiationTlvs.parseFlags(ByteBuffer.allocate(0)));
        assertEquals(1, EarlyNegotiationTlvs.parseFlags(Hex.buffer("0007 0003 aabbcc 0001 0002 0001")));
    }

    @Test
    void truncatedOrWrongLengthTlvsAreMalformed() {
        assertEquals(-1, EarlyNegotiationTlvs.parseFlags(Hex.buffer("000100")));
        assertEquals(-1, EarlyNegotiationTlvs.parseFlags(Hex.buffer("0007 0005 aabb")));
        assertEquals(-1, EarlyNegotiationTlvs.parseFlags(Hex.buffer("0001 0003 000100")));
    }

    @Test
    void replayIdMarkerOfEarlyNegotiation() {
        assertTrue(EarlyNegotiationTlvs.signalsEarlyNegotiation(0x0f000001L));
        assertFalse(EarlyNegotiationTlvs.signalsEarlyNegotiation(1));
    }
}
