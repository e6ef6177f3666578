package org.tunnelbus.openvpn.internal.wire;

/**
 * The first byte of every packet: {@code opcode << 3 | key_id} (§1.2; {@code ssl_pkt.h P_OPCODE_SHIFT},
 * {@code P_KEY_ID_MASK}).
 */
public final class HeaderByte {
    public static final int OPCODE_SHIFT = 3;
    public static final int KEY_ID_MASK = 0x07;
    public static final int MAX_KEY_ID = 7;

    private HeaderByte() {
    }

    public static byte of(Opcode opcode, int keyId) {
        if (keyId < 0 || keyId > MAX_KEY_ID) {
            throw new IllegalArgumentException("key id " + keyId + " outside 0..7");
        }
        return (byte) (opcode.value() << OPCODE_SHIFT | keyId);
    }

    /** The opcode of a header byte, or null if it names none. */
    public static Opcode opcode(byte header) {
        return Opcode.ofValue((header & 0xFF) >>> OPCODE_SHIFT);
    }

    public static int keyId(byte header) {
        return header & KEY_ID_MASK;
    }

    /**
     * The key id after {@code keyId} in a renegotiation: 1..7 and then back to 1, never 0 (§1.3;
     * {@code ssl.c key_state_init()}).
     */
    public static int nextKeyId(int keyId) {
        return keyId >= MAX_KEY_ID ? 1 : keyId + 1;
    }
}
