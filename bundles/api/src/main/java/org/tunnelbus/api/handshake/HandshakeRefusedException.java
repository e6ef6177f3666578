package org.tunnelbus.api.handshake;

/** The configuration handshake cannot go on; the message is one line for the log and the peer. */
public class HandshakeRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public HandshakeRefusedException(String message) {
        super(message);
    }
}
