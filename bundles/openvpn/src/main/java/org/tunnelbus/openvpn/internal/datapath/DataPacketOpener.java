package org.tunnelbus.openvpn.internal.datapath;

import java.nio.ByteBuffer;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.DataPacketHeader;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;

/**
 * Opens AEAD data packets in place (§6.1, §6.3; {@code crypto.c openvpn_decrypt_aead()},
 * {@code crypto_check_replay()}; {@code ssl.c handle_data_channel_packet()} for the AAD start): checks the
 * layout, authenticates and decrypts, and only then applies the replay window, so forged packets cannot
 * move it. Accepts P_DATA_V1 and P_DATA_V2 alike; the peer-id is not checked here (the caller demultiplexes
 * by it). Not thread-safe: one per key and direction.
 */
public final class DataPacketOpener {
    private static final int PACKET_ID_LENGTH = 4;

    private final DataChannelCipher cipher;
    private final ReplayWindow replay;

    /**
     * @param replay the key's window (64 ids, 15 s by default); owned by the session, passed in
     */
    public DataPacketOpener(DataChannelCipher cipher, ReplayWindow replay) {
        this.cipher = cipher;
        this.replay = replay;
    }

    /** Where the plaintext of a packet at {@code offset} starts after a successful {@link #open}. */
    public int payloadOffset(ByteBuffer buf, int offset) {
        return offset + headerLength(buf, offset) + PACKET_ID_LENGTH + cipher.tagLength();
    }

    /** The plaintext length of a packet of {@code length} bytes at {@code offset}. */
    public int payloadLength(ByteBuffer buf, int offset, int length) {
        return offset + length - payloadOffset(buf, offset);
    }

    /**
     * Authenticates, decrypts in place and replay-checks the packet at {@code [offset, offset+length)}.
     *
     * @return null on success (plaintext at {@link #payloadOffset}), else why the packet must be dropped
     */
    public DropReason open(ByteBuffer buf, int offset, int length, long nowSeconds) {
        DropReason bad = DataPacketHeader.check(buf, offset, length);
        if (bad != null) {
            return bad;
        }
        int header = headerLength(buf, offset);
        int idAt = offset + header;
        int ctAt = idAt + PACKET_ID_LENGTH + cipher.tagLength();
        if (length < ctAt - offset) {
            return DropReason.TOO_SHORT; // "missing IV info" / "missing tag"
        }
        if (length == ctAt - offset) {
            return DropReason.MISSING_PAYLOAD;
        }
        int packetId = buf.getInt(idAt);
        // V2 authenticates its whole 8-byte header; V1 only the packet id, not its opcode byte.
        int aadOffset = header == DataPacketHeader.V2_LENGTH ? offset : idAt;
        int aadLength = idAt + PACKET_ID_LENGTH - aadOffset;
        if (!cipher.open(packetId, buf, aadOffset, aadLength, ctAt, offset + length - ctAt,
                idAt + PACKET_ID_LENGTH)) {
            return DropReason.DECRYPT_FAILED;
        }
        return replay.accept(Integer.toUnsignedLong(packetId), 0, nowSeconds) ? null : DropReason.REPLAY;
    }

    private static int headerLength(ByteBuffer buf, int offset) {
        return DataPacketHeader.length(HeaderByte.opcode(buf.get(offset)));
    }
}
