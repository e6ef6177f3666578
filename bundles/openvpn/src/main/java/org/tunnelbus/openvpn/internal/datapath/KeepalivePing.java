package org.tunnelbus.openvpn.internal.datapath;

import java.nio.ByteBuffer;

/**
 * The keepalive ping (§6.5; {@code ping.c ping_string}, {@code ping.h is_ping_msg()}): a data packet
 * whose decrypted payload is exactly these 16 bytes. Detection is by exact equality (a longer payload
 * that starts with the magic is ordinary traffic); received pings are dropped after decryption.
 */
public final class KeepalivePing {
    public static final int LENGTH = 16;
    private static final byte[] MAGIC = {
        0x2a, 0x18, 0x7b, (byte) 0xf3, 0x64, 0x1e, (byte) 0xb4, (byte) 0xcb,
        0x07, (byte) 0xed, 0x2d, 0x0a, (byte) 0x98, 0x1f, (byte) 0xc7, 0x48
    };

    private KeepalivePing() {
    }

    public static boolean isPing(ByteBuffer buf, int offset, int length) {
        if (length != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (buf.get(offset + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes the ping payload at {@code offset}. */
    public static void write(ByteBuffer buf, int offset) {
        buf.put(offset, MAGIC);
    }

    public static byte[] payload() {
        return MAGIC.clone();
    }
}
