package org.tunnelbus.openvpn.internal.keys;

/** A static key file (§2.10) that cannot be used, with a message that says what is wrong and where. */
public final class StaticKeyFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public StaticKeyFormatException(String message) {
        super(message);
    }
}
