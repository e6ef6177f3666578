package org.tunnelbus.openvpn.internal.reliable;

import java.nio.ByteBuffer;
import java.time.InstantSource;

import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The reliability layer of one key state (§2.1, §2.2): a {@link ReliableSendWindow}, a
 * {@link ReliableReceiveWindow} and the {@link AckTracker} between them, speaking {@link ControlPacket}s.
 *
 * <p>Flow: the caller unwraps and parses each incoming packet of this key state and hands it to
 * {@link #receive}; in-order messages come out of {@link #poll}. Outgoing messages go in through
 * {@link #queue}; the caller then asks {@link #nextTransmission} for packets until it returns false,
 * wraps and sends each, and calls again at {@link #nextWakeupMillis}. Up to
 * {@value #PIGGYBACK_ACKS} ACKs ride on each reliable packet ({@code ssl.h CONTROL_SEND_ACK_MAX}); ACKs
 * with nothing to ride on go in a P_ACK_V1 of up to {@value #DEDICATED_ACKS}
 * ({@code ssl.c tls_process_state()}, "Dedicated ACK").
 *
 * <p>The clock is injected (tests drive it by hand). Not thread-safe: one key state, one thread at a time.
 */
public final class ReliableChannel {
    public static final int PIGGYBACK_ACKS = 4;
    public static final int DEDICATED_ACKS = ControlPacket.MAX_ACKS;

    private final int keyId;
    private final long ownSessionId;
    private final InstantSource clock;
    private final ReliableSendWindow send;
    private final ReliableReceiveWindow receive = new ReliableReceiveWindow();
    private final AckTracker acks = new AckTracker();
    private long peerSessionId = SessionId.UNDEFINED;

    public ReliableChannel(int keyId, long ownSessionId, InstantSource clock, long initialTimeoutMillis) {
        if (!SessionId.isDefined(ownSessionId)) {
            throw new IllegalArgumentException("own session id undefined");
        }
        this.keyId = keyId;
        this.ownSessionId = ownSessionId;
        this.clock = clock;
        this.send = new ReliableSendWindow(ReliableSendWindow.DEFAULT_SIZE, initialTimeoutMillis);
    }

    /** Sets the peer's session id when it is known beforehand (a renegotiation keeps the ids, §1.4). */
    public void peerSessionId(long sessionId) {
        this.peerSessionId = sessionId;
    }

    /** The peer's session id, learnt from its first valid packet; undefined before. */
    public long peerSessionId() {
        return peerSessionId;
    }

    public boolean canQueue() {
        return send.canQueue();
    }

    /** Queues a reliable message (reset, CONTROL_V1, ...); see {@link ReliableSendWindow#queue}. */
    public long queue(Opcode opcode, ByteBuffer payload) {
        return send.queue(opcode, payload);
    }

    /**
     * Takes in one parsed packet of this key state: its ACKs free our sent messages, its message (if any)
     * is stored or recognised as a replay and put on the ACK list.
     *
     * @return null if the packet was used, else why it was dropped (per §2.2 a packet beyond the receive
     *         window is dropped unacknowledged; one with a bad echoed session id is dropped entirely)
     */
    public DropReason receive(ControlPacket packet) {
        if (packet.keyId() != keyId) {
            return DropReason.KEY_ID_MISMATCH;
        }
        if (SessionId.isDefined(peerSessionId) && packet.sessionId() != peerSessionId) {
            return DropReason.UNKNOWN_SESSION;
        }
        if (packet.ackCount() > 0 && packet.peerSessionId() != ownSessionId) {
            return DropReason.ACK_SESSION_MISMATCH; // reliable_ack_read() fails: the whole packet goes
        }
        peerSessionId = packet.sessionId();
        for (int i = 0; i < packet.ackCount(); i++) {
            send.acknowledge(packet.ack(i));
        }
        return packet.opcode().hasMessageId() ? receiveMessage(packet) : null;
    }

    private DropReason receiveMessage(ControlPacket packet) {
        if (packet.opcode().isHardReset() && packet.messageId() != 0) {
            return DropReason.RESET_WITH_NONZERO_MESSAGE_ID; // stock ignores these (old replayed resets)
        }
        ReliableReceiveWindow.Verdict verdict = receive.offer(packet.messageId(), packet.opcode(),
                packet.payloadBuffer(), packet.payloadOffset(), packet.payloadLength());
        if (!verdict.acked()) {
            return DropReason.BEYOND_RECEIVE_WINDOW;
        }
        acks.add(packet.messageId()); // when the list is full the peer simply resends
        return null;
    }

    /** The next received message in message-id order, or null. */
    public ReceivedMessage poll() {
        return receive.poll();
    }

    /**
     * Fills {@code out} with the next packet to transmit now: a due (re)transmission with piggybacked ACKs,
     * else a P_ACK_V1 if ACKs are pending. The payload of {@code out} stays valid until the next call on
     * this channel.
     *
     * @return false if nothing is to be sent now
     */
    public boolean nextTransmission(ControlPacket out) {
        ReliableSendWindow.Entry due = send.nextDue(clock.millis());
        if (due != null) {
            out.clear().header(due.opcode(), keyId, ownSessionId);
            fillAcks(out, PIGGYBACK_ACKS);
            out.messageId(due.messageId()).payload(due.payload(), 0, due.payloadLength());
            return true;
        }
        if (acks.hasPending()) {
            out.clear().header(Opcode.ACK_V1, keyId, ownSessionId);
            fillAcks(out, DEDICATED_ACKS);
            return true;
        }
        return false;
    }

    private void fillAcks(ControlPacket out, int max) {
        if (SessionId.isDefined(peerSessionId)) {
            acks.fill(out, max, peerSessionId);
        }
    }

    /**
     * When {@link #nextTransmission} should be called again: now if something is due or ACKs are pending,
     * {@link Long#MAX_VALUE} if nothing is in flight.
     */
    public long nextWakeupMillis() {
        long now = clock.millis();
        return acks.hasPending() ? now : Math.max(now, send.nextDueTime());
    }

    /** All our messages have been acknowledged (a reset that was ACKed moves S_PRE_START to S_START, §2.3). */
    public boolean allAcknowledged() {
        return send.isEmpty();
    }

    /**
     * Puts a server that answered the client's reset statelessly (§2.5) where a stateful one would be:
     * its own reset (id 0) sent and acked, the client's reset (id 0) received; both continue at id 1.
     */
    public void resumeAfterStatelessReset(long clientSessionId) {
        send.skipTo(1);
        receive.skipTo(1);
        peerSessionId = clientSessionId;
    }

    public int keyId() {
        return keyId;
    }

    public long ownSessionId() {
        return ownSessionId;
    }
}
