package org.tunnelbus.api.session;

/** The life of a session, as the control channel moves it. */
public enum SessionState {
    /** Created; control channel in progress (TLS, key exchange, authentication). */
    HANDSHAKE,
    /** Authenticated and configured: data flows. */
    ACTIVE,
    /** Data keys being renewed; the old key still works. */
    RENEGOTIATING,
    /** Going away: no new data is accepted. */
    CLOSING,
    /** Gone; kept only by whoever still references it. */
    CLOSED
}
