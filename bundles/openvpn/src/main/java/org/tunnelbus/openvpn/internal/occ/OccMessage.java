package org.tunnelbus.openvpn.internal.occ;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * OCC messages in the data channel (§6.6; {@code occ.h}, {@code occ.c process_received_occ_msg()},
 * {@code check_send_occ_msg_dowork()}): a decrypted payload that starts with the 16-byte OCC magic,
 * then an opcode byte and a body. They are recognised by the magic <em>prefix</em> and never go to the
 * tun device. In TLS mode one mostly meets {@link Opcode#EXIT} (explicit-exit-notify); a
 * {@link Opcode#REQUEST} must be answered with a {@link Opcode#REPLY} carrying our options string.
 */
public final class OccMessage {
    public static final int MAGIC_LENGTH = 16;
    private static final byte[] MAGIC = {
        0x28, 0x7f, 0x34, 0x6b, (byte) 0xd4, (byte) 0xef, 0x7a, (byte) 0x81,
        0x2d, 0x56, (byte) 0xb8, (byte) 0xd3, (byte) 0xaf, (byte) 0xc5, 0x45, (byte) 0x9c
    };

    /** The OCC opcodes ({@code occ.h}). */
    public enum Opcode {
        REQUEST(0), REPLY(1), MTU_LOAD_REQUEST(2), MTU_LOAD(3), MTU_REQUEST(4), MTU_REPLY(5), EXIT(6);

        private final int value;

        Opcode(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        static Opcode ofValue(int v) {
            for (Opcode o : values()) {
                if (o.value == v) {
                    return o;
                }
            }
            return null;
        }
    }

    private OccMessage() {
    }

    /** Whether the payload at {@code [offset, offset+length)} starts with the OCC magic. */
    public static boolean isOcc(ByteBuffer buf, int offset, int length) {
        if (length < MAGIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < MAGIC_LENGTH; i++) {
            if (buf.get(offset + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The opcode of an OCC payload, or null if it has none or an unknown one. */
    public static Opcode opcode(ByteBuffer buf, int offset, int length) {
        if (!isOcc(buf, offset, length) || length < MAGIC_LENGTH + 1) {
            return null;
        }
        return Opcode.ofValue(buf.get(offset + MAGIC_LENGTH) & 0xFF);
    }

    /** The payload of an OCC message without body (REQUEST, MTU_REQUEST, EXIT). */
    public static byte[] encode(Opcode opcode) {
        if (opcode == Opcode.REPLY || opcode == Opcode.MTU_REPLY || opcode == Opcode.MTU_LOAD_REQUEST) {
            throw new IllegalArgumentException(opcode + " carries a body");
        }
        return ByteBuffer.allocate(MAGIC_LENGTH + 1).put(MAGIC).put((byte) opcode.value()).array();
    }

    /** An OCC_REPLY with our options string, NUL-terminated. */
    public static byte[] reply(String optionsString) {
        byte[] s = optionsString.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(MAGIC_LENGTH + 1 + s.length + 1)
                .put(MAGIC).put((byte) Opcode.REPLY.value()).put(s).put((byte) 0).array();
    }

    /**
     * The answer a received OCC message requires: REQUEST gets REPLY with {@code localOptions}; anything
     * else gets none.
     *
     * @return the payload to send back, or null
     */
    public static byte[] answer(ByteBuffer buf, int offset, int length, String localOptions) {
        return opcode(buf, offset, length) == Opcode.REQUEST ? reply(localOptions) : null;
    }

    /** The options string in a REPLY (up to its NUL), or null if this is no REPLY. */
    public static String replyOptions(ByteBuffer buf, int offset, int length) {
        if (opcode(buf, offset, length) != Opcode.REPLY) {
            return null;
        }
        int from = offset + MAGIC_LENGTH + 1;
        int end = from;
        while (end < offset + length && buf.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - from];
        buf.get(from, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
