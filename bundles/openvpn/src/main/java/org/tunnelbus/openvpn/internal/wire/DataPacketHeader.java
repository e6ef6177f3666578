package org.tunnelbus.openvpn.internal.wire;

import java.nio.ByteBuffer;

/**
 * The cleartext header of data packets (§1.2, §6.1, §6.7; {@code ssl.c tls_prepend_opcode_v1()},
 * {@code tls_prepend_opcode_v2()}, {@code handle_data_channel_packet()}):
 *
 * <pre>
 * P_DATA_V1: [0x30 | key_id]                      (1 byte)
 * P_DATA_V2: [0x48 | key_id] [peer_id, 24 bit]    (4 bytes)
 * </pre>
 *
 * Static, allocation-free helpers on absolute buffer indexes.
 */
public final class DataPacketHeader {
    public static final int V1_LENGTH = 1;
    public static final int V2_LENGTH = 4;
    /** {@code MAX_PEER_ID}: "no peer-id". */
    public static final int NO_PEER_ID = 0xFFFFFF;

    private DataPacketHeader() {
    }

    /** The header length of a data opcode. */
    public static int length(Opcode opcode) {
        switch (opcode) {
            case DATA_V1:
                return V1_LENGTH;
            case DATA_V2:
                return V2_LENGTH;
            default:
                throw new IllegalArgumentException(opcode + " is not a data opcode");
        }
    }

    /**
     * Checks that {@code [offset, offset+length)} starts with a complete data header.
     *
     * @return null if it does, else why not
     */
    public static DropReason check(ByteBuffer buf, int offset, int length) {
        if (length < 1) {
            return DropReason.TOO_SHORT;
        }
        Opcode opcode = HeaderByte.opcode(buf.get(offset));
        if (opcode == null) {
            return DropReason.UNKNOWN_OPCODE;
        }
        if (!opcode.isData()) {
            return DropReason.NOT_DATA;
        }
        return length < length(opcode) ? DropReason.TOO_SHORT : null;
    }

    /** The peer-id of a P_DATA_V2 header at {@code offset} (the low 24 bits of its first 4 bytes). */
    public static int peerId(ByteBuffer buf, int offset) {
        return buf.getInt(offset) & NO_PEER_ID;
    }

    /** Writes a P_DATA_V2 header at {@code offset}. */
    public static void writeV2(ByteBuffer buf, int offset, int keyId, int peerId) {
        if (peerId < 0 || peerId > NO_PEER_ID) {
            throw new IllegalArgumentException("peer-id " + peerId + " is not 24 bit");
        }
        buf.putInt(offset, (HeaderByte.of(Opcode.DATA_V2, keyId) & 0xFF) << 24 | peerId);
    }

    /** Writes a P_DATA_V1 header at {@code offset}. */
    public static void writeV1(ByteBuffer buf, int offset, int keyId) {
        buf.put(offset, HeaderByte.of(Opcode.DATA_V1, keyId));
    }
}
