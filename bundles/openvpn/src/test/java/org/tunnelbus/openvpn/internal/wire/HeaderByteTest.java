package org.tunnelbus.openvpn.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HeaderByteTest {

    /** The first-byte column of the §1.2 table (key id 0). */
    @ParameterizedTest
    @CsvSource({
        "HARD_RESET_CLIENT_V1, 08", "HARD_RESET_SERVER_V1, 10", "SOFT_RESET_V1, 18", "CONTROL_V1, 20",
        "ACK_V1, 28", "DATA_V1, 30", "HARD_RESET_CLIENT_V2, 38", "HARD_RESET_SERVER_V2, 40", "DATA_V2, 48",
        "HARD_RESET_CLIENT_V3, 50", "CONTROL_WKC_V1, 58"})
    void firstByteOfEveryOpcodeMatchesTheReferenceTable(Opcode opcode, String hex) {
        byte b = (byte) Integer.parseInt(hex, 16);
        assertEquals(b, HeaderByte.of(opcode, 0));
        assertEquals(opcode, HeaderByte.opcode(b));
        assertEquals(0, HeaderByte.keyId(b));
    }

    @Test
    void keyIdIsTheLowThreeBits() {
        byte b = HeaderByte.of(Opcode.DATA_V2, 5);
        assertEquals((byte) 0x4d, b);
        assertEquals(Opcode.DATA_V2, HeaderByte.opcode(b));
        assertEquals(5, HeaderByte.keyId(b));
    }

    @Test
    void unknownOpcodesAreNull() {
        assertNull(HeaderByte.opcode((byte) 0x00));
        for (int v = 12; v < 32; v++) {
            assertNull(HeaderByte.opcode((byte) (v << 3)), "opcode " + v);
        }
    }

    @Test
    void keyIdOutsideThreeBitsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeaderByte.of(Opcode.CONTROL_V1, 8));
        assertThrows(IllegalArgumentException.class, () -> HeaderByte.of(Opcode.CONTROL_V1, -1));
    }

    /** §1.3: renegotiations count 1..7 and wrap to 1, never 0. */
    @Test
    void nextKeyIdWrapsFromSevenToOne() {
        assertEquals(1, HeaderByte.nextKeyId(0));
        assertEquals(7, HeaderByte.nextKeyId(6));
        assertEquals(1, HeaderByte.nextKeyId(7));
    }

    @Test
    void opcodeClassification() {
        assertTrue(Opcode.DATA_V1.isData());
        assertTrue(Opcode.DATA_V2.isData());
        assertFalse(Opcode.ACK_V1.hasMessageId());
        assertTrue(Opcode.CONTROL_WKC_V1.hasMessageId());
        assertTrue(Opcode.HARD_RESET_CLIENT_V3.isHardReset());
        assertFalse(Opcode.SOFT_RESET_V1.isHardReset());
        assertTrue(Opcode.HARD_RESET_CLIENT_V2.isClientReset());
        assertFalse(Opcode.HARD_RESET_SERVER_V2.isClientReset());
        assertTrue(Opcode.HARD_RESET_CLIENT_V1.isObsolete());
    }
}
