package org.tunnelbus.openvpn.internal.wire;

/**
 * The packet opcodes of the 2.6 protocol (§1.2; {@code ssl_pkt.h}). The value is the high 5 bits of the
 * first byte of every packet.
 */
public enum Opcode {
    HARD_RESET_CLIENT_V1(1),
    HARD_RESET_SERVER_V1(2),
    SOFT_RESET_V1(3),
    CONTROL_V1(4),
    ACK_V1(5),
    DATA_V1(6),
    HARD_RESET_CLIENT_V2(7),
    HARD_RESET_SERVER_V2(8),
    DATA_V2(9),
    HARD_RESET_CLIENT_V3(10),
    CONTROL_WKC_V1(11);

    private static final Opcode[] BY_VALUE = new Opcode[32];

    static {
        for (Opcode op : values()) {
            BY_VALUE[op.value] = op;
        }
    }

    private final int value;

    Opcode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The opcode with this 5-bit value, or null if 2.6 defines none. */
    public static Opcode ofValue(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    public boolean isData() {
        return this == DATA_V1 || this == DATA_V2;
    }

    public boolean isControl() {
        return !isData();
    }

    /** Key-method-1 resets, which 2.6 refuses ("Peer tried unsupported key-method 1"). */
    public boolean isObsolete() {
        return this == HARD_RESET_CLIENT_V1 || this == HARD_RESET_SERVER_V1;
    }

    /** Hard resets of key method 2: their message id must be 0 ({@code ssl.c is_hard_reset_method2()}). */
    public boolean isHardReset() {
        return this == HARD_RESET_CLIENT_V2 || this == HARD_RESET_SERVER_V2 || this == HARD_RESET_CLIENT_V3;
    }

    /** Resets sent by a TLS client; a client must never receive these (and a server never the others). */
    public boolean isClientReset() {
        return this == HARD_RESET_CLIENT_V2 || this == HARD_RESET_CLIENT_V3;
    }

    /** Whether the packet carries a message id: every control opcode except P_ACK_V1 (§2.1). */
    public boolean hasMessageId() {
        return isControl() && this != ACK_V1;
    }
}
