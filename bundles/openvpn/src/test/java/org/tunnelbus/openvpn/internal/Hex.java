package org.tunnelbus.openvpn.internal;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Test helper: hex as written in the protocol reference (blanks, '|' separators and line breaks allowed). */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    public static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The remaining bytes of {@code buf} (position untouched) as hex. */
    public static String of(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(buf.position(), b);
        return of(b);
    }

    /** The bytes written so far into {@code out} (from 0 to its position) as hex. */
    public static String written(ByteBuffer out) {
        byte[] b = new byte[out.position()];
        out.get(0, b);
        return of(b);
    }
}
