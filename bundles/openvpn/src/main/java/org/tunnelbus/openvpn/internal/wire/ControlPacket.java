package org.tunnelbus.openvpn.internal.wire;

import java.nio.ByteBuffer;

/**
 * One control packet in its unwrapped form (§2.1): header byte, the sender's session id, the ACK block
 * (up to {@value #MAX_ACKS} acked message ids plus the echoed session id of the receiver), the message id
 * (absent for P_ACK_V1) and the payload.
 *
 * <p>A mutable, reusable holder so that parsing allocates nothing: the payload is a region of a buffer
 * owned by the caller (the parsed datagram, or the bytes to send), not a copy. Not thread-safe.
 */
public final class ControlPacket {
    /** {@code reliable.h RELIABLE_ACK_SIZE}: more ACKs in one packet is a parse error. */
    public static final int MAX_ACKS = 8;
    public static final long NO_MESSAGE_ID = -1L;

    private Opcode opcode;
    private int keyId;
    private long sessionId;
    private final long[] acks = new long[MAX_ACKS];
    private int ackCount;
    private long peerSessionId;
    private long messageId = NO_MESSAGE_ID;
    private ByteBuffer payloadBuffer;
    private int payloadOffset;
    private int payloadLength;

    /** Forgets everything, so the holder can be reused. */
    public ControlPacket clear() {
        opcode = null;
        keyId = 0;
        sessionId = SessionId.UNDEFINED;
        ackCount = 0;
        peerSessionId = SessionId.UNDEFINED;
        messageId = NO_MESSAGE_ID;
        payloadBuffer = null;
        payloadOffset = 0;
        payloadLength = 0;
        return this;
    }

    public ControlPacket header(Opcode opcode, int keyId, long sessionId) {
        if (!opcode.isControl()) {
            throw new IllegalArgumentException(opcode + " is not a control opcode");
        }
        HeaderByte.of(opcode, keyId); // validates the key id
        this.opcode = opcode;
        this.keyId = keyId;
        this.sessionId = sessionId;
        return this;
    }

    public ControlPacket clearAcks() {
        ackCount = 0;
        peerSessionId = SessionId.UNDEFINED;
        return this;
    }

    /** Adds an acked message id; the echoed {@link #peerSessionId(long)} must be set when any are. */
    public ControlPacket addAck(long messageId) {
        if (ackCount == MAX_ACKS) {
            throw new IllegalStateException("at most " + MAX_ACKS + " ACKs fit in one packet");
        }
        acks[ackCount++] = messageId;
        return this;
    }

    public ControlPacket peerSessionId(long peerSessionId) {
        this.peerSessionId = peerSessionId;
        return this;
    }

    public ControlPacket messageId(long messageId) {
        this.messageId = messageId;
        return this;
    }

    /** Points the payload at {@code [offset, offset+length)} of {@code buffer} (absolute indexes, no copy). */
    public ControlPacket payload(ByteBuffer buffer, int offset, int length) {
        this.payloadBuffer = buffer;
        this.payloadOffset = offset;
        this.payloadLength = length;
        return this;
    }

    public ControlPacket noPayload() {
        return payload(null, 0, 0);
    }

    public Opcode opcode() {
        return opcode;
    }

    public int keyId() {
        return keyId;
    }

    public long sessionId() {
        return sessionId;
    }

    public int ackCount() {
        return ackCount;
    }

    public long ack(int index) {
        if (index >= ackCount) {
            throw new IndexOutOfBoundsException(index + " of " + ackCount);
        }
        return acks[index];
    }

    /** The receiver's session id echoed in the ACK block; {@link SessionId#UNDEFINED} without ACKs. */
    public long peerSessionId() {
        return peerSessionId;
    }

    /** The message id, or {@link #NO_MESSAGE_ID} for P_ACK_V1. */
    public long messageId() {
        return messageId;
    }

    public ByteBuffer payloadBuffer() {
        return payloadBuffer;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the payload (for tests and the slow path). */
    public byte[] payloadBytes() {
        byte[] copy = new byte[payloadLength];
        if (payloadLength > 0) {
            payloadBuffer.get(payloadOffset, copy);
        }
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(opcode).append(" kid=").append(keyId)
                .append(" sid=").append(SessionId.toHex(sessionId)).append(" acks=[");
        for (int i = 0; i < ackCount; i++) {
            sb.append(i == 0 ? "" : " ").append(acks[i]);
        }
        if (ackCount > 0) {
            sb.append(" sid=").append(SessionId.toHex(peerSessionId));
        }
        sb.append(']');
        if (messageId != NO_MESSAGE_ID) {
            sb.append(" mid=").append(messageId);
        }
        return sb.append(" payload=").append(payloadLength).toString();
    }
}
