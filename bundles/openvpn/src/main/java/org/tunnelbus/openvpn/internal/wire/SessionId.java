package org.tunnelbus.openvpn.internal.wire;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An 8-byte control-channel session id (§1.4; {@code session_id.h}), held as a big-endian {@code long}
 * so packets can carry it without allocation. Zero means "undefined" and is refused on arrival.
 */
public final class SessionId {
    public static final int LENGTH = 8;
    public static final long UNDEFINED = 0L;

    private SessionId() {
    }

    public static boolean isDefined(long sessionId) {
        return sessionId != UNDEFINED;
    }

    /** A fresh random, defined session id. */
    public static long random(SecureRandom random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == UNDEFINED);
        return id;
    }

    public static long fromBytes(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, LENGTH).getLong();
    }

    public static byte[] toBytes(long sessionId) {
        return ByteBuffer.allocate(LENGTH).putLong(sessionId).array();
    }

    /** Lower-case hex as OpenVPN logs it, e.g. {@code 8ea1e93689d0ab63}. */
    public static String toHex(long sessionId) {
        return HexFormat.of().toHexDigits(sessionId);
    }

    public static long fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("session id must be 16 hex digits: " + hex);
        }
        return HexFormat.fromHexDigitsToLong(hex);
    }
}
