package org.tunnelbus.openvpn.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class ControlPacketCodecTest {
    private final ControlPacket packet = new ControlPacket();

    private DropReason parse(String hex) {
        return ControlPacketCodec.parse(Hex.buffer(hex), packet);
    }

    private static String write(ControlPacket p) {
        ByteBuffer out = ByteBuffer.allocate(ControlPacketCodec.encodedLength(p));
        ControlPacketCodec.write(p, out);
        assertEquals(0, out.remaining());
        return Hex.written(out);
    }

    /** §2.1: the smallest packet, a client reset without wrapping (test_pkt.c client_reset_v2_none). */
    @Test
    void parsesClientResetWithoutWrapping() {
        assertNull(parse(ReferenceVectors.CLIENT_RESET_V2_NONE));
        assertEquals(Opcode.HARD_RESET_CLIENT_V2, packet.opcode());
        assertEquals(0, packet.keyId());
        assertEquals(SessionId.fromHex("6891923fa3103437"), packet.sessionId());
        assertEquals(0, packet.ackCount());
        assertEquals(0, packet.messageId());
        assertEquals(0, packet.payloadLength());
        assertEquals(14, ControlPacketCodec.MIN_RESET_LENGTH);
        assertEquals(Hex.of(Hex.bytes(ReferenceVectors.CLIENT_RESET_V2_NONE)), write(packet));
    }

    /** test_pkt.c test_parse_ack: ACK [0], echoed sid, message id 1, TLS record following. */
    @Test
    void parsesControlWithPiggybackedAck() {
        assertNull(parse(ReferenceVectors.CLIENT_CONTROL_WITH_ACK));
        assertEquals(Opcode.CONTROL_V1, packet.opcode());
        assertEquals(1, packet.ackCount());
        assertEquals(0, packet.ack(0));
        assertEquals(SessionId.fromHex("eafebfa4418ae31b"), packet.peerSessionId());
        assertEquals(1, packet.messageId());
        assertEquals("160301", Hex.of(packet.payloadBytes()));
        assertEquals(Hex.of(Hex.bytes(ReferenceVectors.CLIENT_CONTROL_WITH_ACK)), write(packet));
    }

    @Test
    void parsesDedicatedAckWithoutMessageId() {
        assertNull(parse(ReferenceVectors.CLIENT_ACK_NONE_RANDOM_ID));
        assertEquals(Opcode.ACK_V1, packet.opcode());
        assertEquals(ControlPacket.NO_MESSAGE_ID, packet.messageId());
        assertEquals(1, packet.ackCount());
        assertEquals(SessionId.fromHex("dd85db535623b02e"), packet.peerSessionId());
        assertEquals(0, packet.payloadLength());

        assertNull(parse(ReferenceVectors.CLIENT_ACK_123_NONE_RANDOM_ID));
        assertEquals(3, packet.ackCount());
        assertEquals(2, packet.ack(2));
    }

    /** The unwrapped §8.2 P_ACK_V1: header plus the captured plaintext. */
    @Test
    void parsesCapturedAckPlaintext() {
        assertNull(parse("28 8ea1e93689d0ab63 " + ReferenceVectors.CAPTURE_CLIENT_ACK_PLAINTEXT));
        assertEquals(2, packet.ackCount());
        assertEquals(1, packet.ack(0));
        assertEquals(0, packet.ack(1));
        assertEquals(SessionId.fromHex("64aaba152b7a2743"), packet.peerSessionId());
    }

    @Test
    void ackBlockLengthIsAckSizeOfReliableH() {
        assertEquals(1, ControlPacketCodec.ackBlockLength(0));
        assertEquals(1 + 8 + 4, ControlPacketCodec.ackBlockLength(1));
        assertEquals(1 + 8 + 32, ControlPacketCodec.ackBlockLength(8));
    }

    @Test
    void refusesMalformedPackets() {
        assertEquals(DropReason.TOO_SHORT, parse("38 6891923fa3103437"));
        assertEquals(DropReason.UNKNOWN_OPCODE, parse("60 6891923fa3103437 00 00000000"));
        assertEquals(DropReason.NOT_CONTROL, parse("48 6891923fa3103437 00 00000000"));
        assertEquals(DropReason.OBSOLETE_OPCODE, parse("08 6891923fa3103437 00 00000000"));
        assertEquals(DropReason.UNDEFINED_SESSION_ID, parse("38 0000000000000000 00 00000000"));
        assertEquals(DropReason.TOO_MANY_ACKS, parse("28 6891923fa3103437 09" + "00000000".repeat(9)
                + "1111111111111111"));
        assertEquals(DropReason.TRUNCATED_ACK_BLOCK, parse(ReferenceVectors.CLIENT_CONTROL_NONE_RANDOM_ID));
        assertEquals(DropReason.MISSING_MESSAGE_ID, parse("20 6891923fa3103437 00 000000"));
    }

    @Test
    void acceptsExactlyEightAcks() {
        assertNull(parse("28 6891923fa3103437 08" + "00000007".repeat(8) + "1111111111111111"));
        assertEquals(8, packet.ackCount());
    }

    @Test
    void everyPrefixOfAValidPacketIsRefusedOrParsedWithoutThrowing() {
        byte[] full = Hex.bytes(ReferenceVectors.CLIENT_CONTROL_WITH_ACK);
        for (int n = 0; n < full.length; n++) {
            DropReason r = ControlPacketCodec.parse(ByteBuffer.wrap(full, 0, n), packet);
            if (n < full.length - 3) { // shorter than header + ACK block + message id
                assertNotNull(r, "prefix " + n);
            }
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (random.nextInt(12) << 3); // mostly known opcodes
            }
            ControlPacketCodec.parse(ByteBuffer.wrap(b), packet);
        }
    }

    @Test
    void parseLeavesThePositionAlone() {
        ByteBuffer buf = Hex.buffer("ffff" + ReferenceVectors.CLIENT_RESET_V2_NONE.replace(" ", ""));
        buf.position(2);
        assertNull(ControlPacketCodec.parse(buf, packet));
        assertEquals(2, buf.position());
    }

    @Test
    void writesResetWithAckAndEchoedSession() {
        packet.clear().header(Opcode.HARD_RESET_SERVER_V2, 0, SessionId.fromHex("64aaba152b7a2743"))
                .addAck(0).peerSessionId(SessionId.fromHex("8ea1e93689d0ab63")).messageId(0);
        assertEquals("4064aaba152b7a2743" + "01" + "00000000" + "8ea1e93689d0ab63" + "00000000", write(packet));
    }

    @Test
    void writingChecksTheLayoutRules() {
        packet.clear().header(Opcode.CONTROL_V1, 0, 1L).addAck(1).messageId(2);
        assertThrows(IllegalStateException.class, () -> write(packet)); // ACK without echoed sid
        packet.clear().header(Opcode.ACK_V1, 0, 1L).addAck(1).peerSessionId(2L).messageId(3);
        assertThrows(IllegalStateException.class, () -> write(packet)); // P_ACK_V1 has no message id
        packet.clear().header(Opcode.CONTROL_V1, 0, 1L);
        assertThrows(IllegalStateException.class, () -> write(packet)); // CONTROL_V1 needs one
        assertThrows(IllegalArgumentException.class, () -> packet.clear().header(Opcode.DATA_V2, 0, 1L));
        packet.clear().header(Opcode.CONTROL_V1, 0, 1L).messageId(0);
        assertThrows(BufferOverflowException.class, () -> ControlPacketCodec.write(packet, ByteBuffer.allocate(5)));
        for (int i = 0; i < ControlPacket.MAX_ACKS; i++) {
            packet.addAck(i);
        }
        assertThrows(IllegalStateException.class, () -> packet.addAck(9));
    }

    @Test
    void payloadIsCopiedFromItsRegionWithoutMovingTheSource() {
        ByteBuffer src = Hex.buffer("aabbccddee");
        packet.clear().header(Opcode.CONTROL_V1, 2, 0x0102030405060708L).messageId(5).payload(src, 1, 3);
        assertEquals("22 0102030405060708 00 00000005 bbccdd".replace(" ", ""), write(packet));
        assertEquals(0, src.position());
        assertArrayEquals(Hex.bytes("bbccdd"), packet.payloadBytes());
    }
}
