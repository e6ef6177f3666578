package org.tunnelbus.openvpn.internal.reliable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.ManualClock;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/** §2.2/§2.3 behaviour of one key state's reliability layer. */
class ReliableChannelTest {
    private static final long CLIENT_SID = 0x8ea1e93689d0ab63L;
    private static final long SERVER_SID = 0x64aaba152b7a2743L;
    private final ManualClock clock = new ManualClock(1_000_000);
    private final ReliableChannel client = new ReliableChannel(0, CLIENT_SID, clock, 2000);
    private final ReliableChannel server = new ReliableChannel(0, SERVER_SID, clock, 2000);
    private final ControlPacket out = new ControlPacket();

    /** Takes the next transmission of {@code from} through the codec, as the network would. */
    private ControlPacket transmit(ReliableChannel from) {
        if (!from.nextTransmission(out)) {
            return null;
        }
        ByteBuffer wire = ByteBuffer.allocate(ControlPacketCodec.encodedLength(out));
        ControlPacketCodec.write(out, wire);
        ControlPacket in = new ControlPacket();
        assertNull(ControlPacketCodec.parse(wire.flip(), in));
        return in;
    }

    /** §2.3 steps 1–3: reset, reset with ACK [0], then the client's id 1 carries ACK [0] + server sid. */
    @Test
    void resetExchange() {
        client.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0));
        ControlPacket reset = transmit(client);
        assertEquals(Opcode.HARD_RESET_CLIENT_V2, reset.opcode());
        assertEquals(0, reset.messageId());
        assertEquals(0, reset.ackCount());

        assertNull(server.receive(reset));
        assertEquals(CLIENT_SID, server.peerSessionId());
        assertEquals(Opcode.HARD_RESET_CLIENT_V2, server.poll().opcode());
        server.queue(Opcode.HARD_RESET_SERVER_V2, ByteBuffer.allocate(0));
        ControlPacket reply = transmit(server);
        assertEquals(Opcode.HARD_RESET_SERVER_V2, reply.opcode());
        assertEquals(1, reply.ackCount());
        assertEquals(0, reply.ack(0));
        assertEquals(CLIENT_SID, reply.peerSessionId());

        assertNull(client.receive(reply));
        assertTrue(client.allAcknowledged()); // S_PRE_START -> S_START
        client.poll();
        client.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {0x16, 3, 1}));
        ControlPacket hello = transmit(client);
        assertEquals(1, hello.messageId());
        assertEquals(0, hello.ack(0));
        assertEquals(SERVER_SID, hello.peerSessionId());
        assertNull(transmit(client));
    }

    @Test
    void ackWithoutDataGoesInADedicatedAckOfUpToEight() {
        connect();
        sendMessages(6);
        ControlPacket ack = transmit(server);
        assertEquals(Opcode.ACK_V1, ack.opcode());
        // the six fresh ACKs first, then the reset's ACK repeated from the recently-sent list
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 0L), acks(ack));
        assertNull(client.receive(ack));
        assertTrue(client.allAcknowledged());
        sendMessages(6);
        assertEquals(List.of(7L, 8L, 9L, 10L, 11L, 12L, 1L, 2L), acks(transmit(server)));
    }

    private void sendMessages(int n) {
        for (int i = 0; i < n; i++) {
            client.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        for (ControlPacket p; (p = transmit(client)) != null; ) {
            assertNull(server.receive(p));
        }
    }

    private static List<Long> acks(ControlPacket p) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < p.ackCount(); i++) {
            ids.add(p.ack(i));
        }
        return ids;
    }

    @Test
    void piggybackCarriesAtMostFourAcks() {
        connect();
        sendMessages(6);
        server.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {2}));
        ControlPacket data = transmit(server);
        assertEquals(Opcode.CONTROL_V1, data.opcode());
        assertEquals(4, data.ackCount());
        assertEquals(List.of(1L, 2L, 3L, 4L), acks(data));
        ControlPacket rest = transmit(server);
        assertEquals(Opcode.ACK_V1, rest.opcode());
        assertEquals(List.of(5L, 6L, 1L, 2L, 3L, 4L, 0L), acks(rest));
    }

    @Test
    void duplicatesAreAckedAgainAndDeliveredOnce() {
        connect();
        client.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {7}));
        ControlPacket p = transmit(client);
        assertNull(server.receive(p));
        assertNull(server.receive(p));
        assertEquals(1, server.poll().messageId());
        assertNull(server.poll());
        ControlPacket ack = transmit(server);
        assertEquals(1, ack.ack(0));
        clock.advance(1);
        assertNull(server.receive(p)); // replayed after delivery: ACKed again
        assertEquals(1, transmit(server).ack(0));
    }

    @Test
    void farAheadMessageIsDroppedWithoutAck() {
        connect();
        ControlPacket p = new ControlPacket().header(Opcode.CONTROL_V1, 0, CLIENT_SID).messageId(13);
        assertEquals(DropReason.BEYOND_RECEIVE_WINDOW, server.receive(p));
        assertFalse(server.nextTransmission(out)); // no ACK owed
        p.messageId(12); // next expected is 1: 1 + 11 is the last storable id
        assertNull(server.receive(p));
        assertEquals(List.of(12L, 0L), acks(transmit(server)));
    }

    @Test
    void wrongEchoedSessionDropsTheWholePacket() {
        connect();
        client.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {1}));
        ControlPacket p = transmit(client);
        ControlPacket forged = new ControlPacket().header(Opcode.CONTROL_V1, 0, CLIENT_SID)
                .addAck(0).peerSessionId(0x1234L).messageId(p.messageId());
        assertEquals(DropReason.ACK_SESSION_MISMATCH, server.receive(forged));
        assertNull(server.poll());
    }

    @Test
    void otherKeyIdsAndSessionsAreRefused() {
        connect();
        assertEquals(DropReason.KEY_ID_MISMATCH,
                server.receive(new ControlPacket().header(Opcode.CONTROL_V1, 1, CLIENT_SID).messageId(1)));
        assertEquals(DropReason.UNKNOWN_SESSION,
                server.receive(new ControlPacket().header(Opcode.CONTROL_V1, 0, 0x99L).messageId(1)));
    }

    /** ssl.c tls_pre_decrypt(): a hard reset that claims another id than 0 is ignored. */
    @Test
    void hardResetWithNonZeroIdIsIgnored() {
        assertEquals(DropReason.RESET_WITH_NONZERO_MESSAGE_ID,
                server.receive(new ControlPacket().header(Opcode.HARD_RESET_CLIENT_V2, 0, CLIENT_SID).messageId(3)));
        assertNull(server.poll());
    }

    @Test
    void retransmitsUntilAcknowledged() {
        client.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0));
        assertEquals(0, transmit(client).messageId());
        assertNull(transmit(client));
        assertEquals(clock.millis() + 2000, client.nextWakeupMillis());
        clock.advance(2000);
        assertEquals(0, transmit(client).messageId());
        clock.advance(3999);
        assertNull(transmit(client));
        clock.advance(1);
        assertEquals(0, transmit(client).messageId());
    }

    @Test
    void wakeupTimes() {
        assertEquals(Long.MAX_VALUE, client.nextWakeupMillis());
        client.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0));
        assertEquals(clock.millis(), client.nextWakeupMillis());
        transmit(client);
        assertEquals(clock.millis() + 2000, client.nextWakeupMillis());
        client.receive(new ControlPacket().header(Opcode.HARD_RESET_SERVER_V2, 0, SERVER_SID).messageId(0));
        assertEquals(clock.millis(), client.nextWakeupMillis()); // an ACK is owed
    }

    /** §2.5: after a stateless reset the server continues at id 1 in both directions. */
    @Test
    void resumeAfterStatelessReset() {
        server.resumeAfterStatelessReset(CLIENT_SID);
        ControlPacket hello = new ControlPacket().header(Opcode.CONTROL_V1, 0, CLIENT_SID).addAck(0)
                .peerSessionId(SERVER_SID).messageId(1).payload(ByteBuffer.wrap(new byte[] {0x16}), 0, 1);
        assertNull(server.receive(hello));
        assertEquals(1, server.poll().messageId());
        server.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(new byte[] {0x16}));
        ControlPacket reply = transmit(server);
        assertEquals(1, reply.messageId());
        assertEquals(1, reply.ack(0));
    }

    /** Reset exchange plus the client's dedicated ACK; afterwards nothing is owed either way. */
    private void connect() {
        client.queue(Opcode.HARD_RESET_CLIENT_V2, ByteBuffer.allocate(0));
        assertNull(server.receive(transmit(client)));
        server.poll();
        server.queue(Opcode.HARD_RESET_SERVER_V2, ByteBuffer.allocate(0));
        assertNull(client.receive(transmit(server)));
        client.poll();
        ControlPacket ack = transmit(client);
        assertEquals(Opcode.ACK_V1, ack.opcode());
        assertNull(server.receive(ack));
        assertTrue(server.allAcknowledged());
        assertTrue(client.allAcknowledged());
    }
}
