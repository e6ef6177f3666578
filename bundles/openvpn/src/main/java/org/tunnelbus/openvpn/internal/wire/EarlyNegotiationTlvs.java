package org.tunnelbus.openvpn.internal.wire;

import java.nio.ByteBuffer;

/**
 * The TLV list that 2.6 reads from the payload of any hard reset with message id 0 (§2.6;
 * {@code ssl.c parse_early_negotiation_tlvs()}, {@code ssl_pkt.c tls_reset_standalone()}):
 * {@code type u16 | len u16 | value}. The only type 2.6 knows is EARLY_NEG_FLAGS (1) with a u16 flag
 * field; unknown types are skipped and a truncated TLV fails the handshake.
 */
public final class EarlyNegotiationTlvs {
    public static final int TYPE_EARLY_NEG_FLAGS = 0x0001;
    public static final int FLAG_RESEND_WKC = 0x0001;
    /** The length of one flags TLV as the server appends it. */
    public static final int FLAGS_TLV_LENGTH = 6;
    /** A tls-crypt-v2 client that supports early negotiation starts its replay counter here. */
    public static final long EARLY_NEG_START = 0x0f000000L;
    private static final long EARLY_NEG_MASK = 0xff000000L;

    private EarlyNegotiationTlvs() {
    }

    /**
     * Parses the TLVs in {@code buf}'s remaining bytes (the position is left as it is).
     *
     * @return the EARLY_NEG_FLAGS value (0 if absent), or -1 if the list is malformed
     */
    public static int parseFlags(ByteBuffer buf) {
        int at = buf.position();
        int end = buf.limit();
        int flags = 0;
        while (at < end) {
            if (end - at < 4) {
                return -1;
            }
            int type = buf.getShort(at) & 0xFFFF;
            int len = buf.getShort(at + 2) & 0xFFFF;
            at += 4;
            if (end - at < len) {
                return -1;
            }
            if (type == TYPE_EARLY_NEG_FLAGS) {
                if (len != 2) {
                    return -1;
                }
                flags = buf.getShort(at) & 0xFFFF;
            }
            at += len;
        }
        return flags;
    }

    /** Appends an EARLY_NEG_FLAGS TLV at {@code out}'s position. */
    public static void writeFlags(ByteBuffer out, int flags) {
        out.putShort((short) TYPE_EARLY_NEG_FLAGS).putShort((short) 2).putShort((short) flags);
    }

    /** A first replay id whose top byte is 0x0f marks a client that can resend its wrapped key. */
    public static boolean signalsEarlyNegotiation(long firstReplayId) {
        return (firstReplayId & EARLY_NEG_MASK) == EARLY_NEG_START;
    }
}
