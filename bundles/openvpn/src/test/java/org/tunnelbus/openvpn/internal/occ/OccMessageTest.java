package org.tunnelbus.openvpn.internal.occ;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

/** §6.6. */
class OccMessageTest {
    private static final String MAGIC = "287f346bd4ef7a812d56b8d3afc5459c";

    @Test
    void exitIsMagicPlusOpcodeSix() {
        byte[] exit = OccMessage.encode(OccMessage.Opcode.EXIT);
        assertEquals(MAGIC + "06", Hex.of(exit));
        assertEquals(OccMessage.Opcode.EXIT, OccMessage.opcode(ByteBuffer.wrap(exit), 0, exit.length));
    }

    @Test
    void detectionIsByPrefix() {
        ByteBuffer b = Hex.buffer("ff" + MAGIC + "06" + "aabbcc");
        assertTrue(OccMessage.isOcc(b, 1, 20));
        assertEquals(OccMessage.Opcode.EXIT, OccMessage.opcode(b, 1, 20));
        assertFalse(OccMessage.isOcc(b, 0, 21));
        assertFalse(OccMessage.isOcc(Hex.buffer(MAGIC.substring(0, 30)), 0, 15));
        assertNull(OccMessage.opcode(Hex.buffer(MAGIC), 0, 16)); // no opcode byte
        assertNull(OccMessage.opcode(Hex.buffer(MAGIC + "07"), 0, 17)); // unknown opcode
    }

    @Test
    void requestIsAnsweredWithOurOptionsString() {
        byte[] request = OccMessage.encode(OccMessage.Opcode.REQUEST);
        byte[] reply = OccMessage.answer(ByteBuffer.wrap(request), 0, request.length,
                ReferenceVectors.CAPTURE_OCC_SERVER);
        assertEquals(MAGIC + "01", Hex.of(reply).substring(0, 34));
        assertEquals(0, reply[reply.length - 1]);
        assertEquals(ReferenceVectors.CAPTURE_OCC_SERVER, OccMessage.replyOptions(ByteBuffer.wrap(reply), 0, reply.length));
        byte[] exit = OccMessage.encode(OccMessage.Opcode.EXIT);
        assertNull(OccMessage.answer(ByteBuffer.wrap(exit), 0, exit.length, "V4"));
        assertNull(OccMessage.replyOptions(ByteBuffer.wrap(exit), 0, exit.length));
        assertThrows(IllegalArgumentException.class, () -> OccMessage.encode(OccMessage.Opcode.REPLY));
    }

    @Test
    void thePingIsNoOccMessage() {
        assertFalse(OccMessage.isOcc(Hex.buffer(ReferenceVectors.PING_MAGIC), 0, 16));
    }
}
