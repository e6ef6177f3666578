package org.tunnelbus.openvpn.internal.datapath;

import java.nio.ByteBuffer;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.openvpn.internal.wire.DataPacketHeader;

/**
 * Builds AEAD data packets in place (§6.1; {@code crypto.c openvpn_encrypt_aead()}, {@code ssl.c
 * tls_prepend_opcode_v1()/v2()}):
 *
 * <pre>
 * P_DATA_V2: [0x48|kid][peer-id 3][packet id 4][tag 16][ciphertext]   AAD = the first 8 bytes
 * P_DATA_V1: [0x30|kid]           [packet id 4][tag 16][ciphertext]   AAD = the packet id only
 * </pre>
 *
 * The payload is encrypted where it lies; the header, packet id and tag go into the
 * {@link #overhead()} bytes of headroom in front of it. Packet ids start at 1 for each key; from 0xFF000000
 * on {@link #renegotiationDue()} says a new key is needed, and at the end no more packets are sealed.
 * The cipher is any {@link DataChannelCipher} provider. Not thread-safe: one per key and direction.
 */
public final class DataPacketSealer {
    private static final int PACKET_ID_LENGTH = 4;

    private final DataChannelCipher cipher;
    private final int keyId;
    private final int peerId;
    private final int headerLength;
    private final PacketIdCounter packetIds;

    private DataPacketSealer(DataChannelCipher cipher, int keyId, int peerId, int headerLength,
                             PacketIdCounter packetIds) {
        if (packetIds.isLongForm()) {
            throw new IllegalArgumentException("data packets use short-form packet ids");
        }
        this.cipher = cipher;
        this.keyId = keyId;
        this.peerId = peerId;
        this.headerLength = headerLength;
        this.packetIds = packetIds;
    }

    /**
     * Sends P_DATA_V2 with {@code peerId} (a server to a client with IV_PROTO bit 1; a client with a pushed
     * peer-id).
     *
     * @param packetIds the key's short-form counter, owned by the session (a fresh one per key id)
     */
    public static DataPacketSealer v2(DataChannelCipher cipher, int keyId, int peerId, PacketIdCounter packetIds) {
        return new DataPacketSealer(cipher, keyId, peerId, DataPacketHeader.V2_LENGTH, packetIds);
    }

    /** Sends P_DATA_V1 (no peer-id). */
    public static DataPacketSealer v1(DataChannelCipher cipher, int keyId, PacketIdCounter packetIds) {
        return new DataPacketSealer(cipher, keyId, DataPacketHeader.NO_PEER_ID, DataPacketHeader.V1_LENGTH,
                packetIds);
    }

    /** Bytes in front of the payload: header + packet id + tag. */
    public int overhead() {
        return headerLength + PACKET_ID_LENGTH + cipher.tagLength();
    }

    /**
     * Seals the payload at {@code [payloadOffset, payloadOffset+payloadLength)}; the buffer needs
     * {@link #overhead()} bytes before it and the tag length of room after it.
     *
     * @return the offset where the packet starts (it is {@code overhead() + payloadLength} long), or -1
     *         when the packet ids are used up and the key must not be used any more
     */
    public int seal(ByteBuffer buf, int payloadOffset, int payloadLength) {
        if (payloadLength < 1) {
            throw new IllegalArgumentException("empty data packets are not sent (the peer drops them)");
        }
        long id = packetIds.next(0);
        if (id == PacketIdCounter.EXHAUSTED) {
            return -1;
        }
        int start = payloadOffset - overhead();
        int idAt = start + headerLength;
        if (headerLength == DataPacketHeader.V2_LENGTH) {
            DataPacketHeader.writeV2(buf, start, keyId, peerId);
        } else {
            DataPacketHeader.writeV1(buf, start, keyId);
        }
        buf.putInt(idAt, (int) id);
        int aadOffset = headerLength == DataPacketHeader.V2_LENGTH ? start : idAt;
        int aadLength = idAt + PACKET_ID_LENGTH - aadOffset;
        cipher.seal((int) id, buf, aadOffset, aadLength, payloadOffset, payloadLength, idAt + PACKET_ID_LENGTH);
        return start;
    }

    /** The packet-id wrap trigger has been reached (§6.3, {@code packet_id_close_to_wrapping()}). */
    public boolean renegotiationDue() {
        return packetIds.closeToWrapping();
    }

    /** The last packet id used. */
    public long lastPacketId() {
        return packetIds.lastId();
    }
}
