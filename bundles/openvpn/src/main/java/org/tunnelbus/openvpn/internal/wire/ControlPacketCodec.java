package org.tunnelbus.openvpn.internal.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Reads and writes control packets without wrapping (§2.1; {@code ssl_pkt.c write_control_auth()},
 * {@code reliable.c reliable_ack_write()} / {@code reliable_ack_parse()}):
 *
 * <pre>
 * header(1) | own sid(8) | n(1) | n * acked id(4) | [peer sid(8) if n &gt; 0] | [message id(4) unless P_ACK_V1] | payload
 * </pre>
 *
 * Packets wrapped with tls-auth or tls-crypt are brought back to this form by the wrappers first.
 * Parsing never throws and never allocates: it fills a {@link ControlPacket} whose payload points into
 * the parsed buffer.
 */
public final class ControlPacketCodec {
    /** Header byte plus own session id. */
    public static final int HEADER_LENGTH = 1 + SessionId.LENGTH;
    /** The smallest packet: a reset without ACKs, e.g. {@code 38 6891923fa3103437 00 00000000}. */
    public static final int MIN_RESET_LENGTH = HEADER_LENGTH + 1 + 4;

    private ControlPacketCodec() {
    }

    /** {@code reliable.h ACK_SIZE(n)}: count byte, n ids and the echoed session id when n > 0. */
    public static int ackBlockLength(int ackCount) {
        return 1 + (ackCount > 0 ? SessionId.LENGTH : 0) + 4 * ackCount;
    }

    public static int encodedLength(ControlPacket packet) {
        return HEADER_LENGTH + ackBlockLength(packet.ackCount())
                + (packet.opcode().hasMessageId() ? 4 : 0) + packet.payloadLength();
    }

    /**
     * Parses the packet in {@code buf}'s remaining bytes (the position is left as it is).
     *
     * @return null on success, else why the packet must be dropped
     */
    public static DropReason parse(ByteBuffer buf, ControlPacket out) {
        out.clear();
        int at = buf.position();
        int end = buf.limit();
        if (end - at < HEADER_LENGTH + 1) {
            return DropReason.TOO_SHORT;
        }
        byte header = buf.get(at);
        Opcode opcode = HeaderByte.opcode(header);
        DropReason bad = checkControlOpcode(opcode);
        if (bad != null) {
            return bad;
        }
        long sid = buf.getLong(at + 1);
        if (!SessionId.isDefined(sid)) {
            return DropReason.UNDEFINED_SESSION_ID;
        }
        out.header(opcode, HeaderByte.keyId(header), sid);
        return parseBody(buf, at + HEADER_LENGTH, end, out);
    }

    private static DropReason checkControlOpcode(Opcode opcode) {
        if (opcode == null) {
            return DropReason.UNKNOWN_OPCODE;
        }
        if (opcode.isData()) {
            return DropReason.NOT_CONTROL;
        }
        return opcode.isObsolete() ? DropReason.OBSOLETE_OPCODE : null;
    }

    private static DropReason parseBody(ByteBuffer buf, int at, int end, ControlPacket out) {
        int n = buf.get(at++) & 0xFF;
        if (n > ControlPacket.MAX_ACKS) {
            return DropReason.TOO_MANY_ACKS;
        }
        if (end - at < ackBlockLength(n) - 1) {
            return DropReason.TRUNCATED_ACK_BLOCK;
        }
        for (int i = 0; i < n; i++, at += 4) {
            out.addAck(Integer.toUnsignedLong(buf.getInt(at)));
        }
        if (n > 0) {
            out.peerSessionId(buf.getLong(at));
            at += SessionId.LENGTH;
        }
        if (out.opcode().hasMessageId()) {
            if (end - at < 4) {
                return DropReason.MISSING_MESSAGE_ID;
            }
            out.messageId(Integer.toUnsignedLong(buf.getInt(at)));
            at += 4;
        }
        // A P_ACK_V1 has no payload; stock ignores anything after its ACK block, and so do we.
        out.payload(buf, at, out.opcode().hasMessageId() ? end - at : 0);
        return null;
    }

    /**
     * Writes {@code packet} at {@code out}'s position and advances it.
     *
     * @throws BufferOverflowException if {@code out} has less room than {@link #encodedLength}
     * @throws IllegalStateException if ACKs are present without the echoed peer session id, or a message
     *         id is missing or present against the opcode's layout
     */
    public static void write(ControlPacket packet, ByteBuffer out) {
        checkWritable(packet);
        if (out.remaining() < encodedLength(packet)) {
            throw new BufferOverflowException();
        }
        out.put(HeaderByte.of(packet.opcode(), packet.keyId())).putLong(packet.sessionId());
        out.put((byte) packet.ackCount());
        for (int i = 0; i < packet.ackCount(); i++) {
            out.putInt((int) packet.ack(i));
        }
        if (packet.ackCount() > 0) {
            out.putLong(packet.peerSessionId());
        }
        if (packet.opcode().hasMessageId()) {
            out.putInt((int) packet.messageId());
        }
        if (packet.payloadLength() > 0) {
            // absolute bulk copy: no slice object per packet
            out.put(out.position(), packet.payloadBuffer(), packet.payloadOffset(), packet.payloadLength());
            out.position(out.position() + packet.payloadLength());
        }
    }

    private static void checkWritable(ControlPacket packet) {
        if (packet.opcode() == null) {
            throw new IllegalStateException("no header set");
        }
        if (packet.ackCount() > 0 && !SessionId.isDefined(packet.peerSessionId())) {
            throw new IllegalStateException("ACKs need the peer's session id");
        }
        boolean hasId = packet.messageId() != ControlPacket.NO_MESSAGE_ID;
        if (hasId != packet.opcode().hasMessageId()) {
            throw new IllegalStateException(packet.opcode() + (hasId ? " has no message id" : " needs a message id"));
        }
        if (packet.opcode() == Opcode.ACK_V1 && packet.payloadLength() > 0) {
            throw new IllegalStateException("P_ACK_V1 carries no payload");
        }
    }
}
