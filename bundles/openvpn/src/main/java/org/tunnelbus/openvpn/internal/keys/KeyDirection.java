package org.tunnelbus.openvpn.internal.keys;

/**
 * {@code --key-direction} for tls-auth (§2.7; {@code crypto.c key_direction_state_init()},
 * {@code ascii2keydirection()}, {@code keydirection2ascii()}): which of the two keys of a {@link Key2}
 * a side sends and receives with.
 */
public enum KeyDirection {
    /** Not set: both directions use keys[0]. */
    BIDIRECTIONAL(null, 0, 0),
    /** {@code 0}, usually the server: send with keys[0], receive with keys[1]. */
    NORMAL("0", 0, 1),
    /** {@code 1}, usually the client: send with keys[1], receive with keys[0]. */
    INVERSE("1", 1, 0);

    private final String ascii;
    private final int sendIndex;
    private final int receiveIndex;

    KeyDirection(String ascii, int sendIndex, int receiveIndex) {
        this.ascii = ascii;
        this.sendIndex = sendIndex;
        this.receiveIndex = receiveIndex;
    }

    /**
     * Parses the config value: null (absent) is bidirectional, "0" and "1" the directions.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static KeyDirection parse(String value) {
        if (value == null) {
            return BIDIRECTIONAL;
        }
        for (KeyDirection d : values()) {
            if (value.equals(d.ascii)) {
                return d;
            }
        }
        throw new IllegalArgumentException("key-direction must be 0 or 1, not '" + value + "'");
    }

    public int sendIndex() {
        return sendIndex;
    }

    public int receiveIndex() {
        return receiveIndex;
    }

    /**
     * The {@code keydir} value of the options string, or null when not set. The remote variant is the
     * direction the peer must have: the opposite one.
     */
    public String occValue(boolean remote) {
        if (this == BIDIRECTIONAL) {
            return null;
        }
        return remote ? (this == NORMAL ? "1" : "0") : ascii;
    }
}
