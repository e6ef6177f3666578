package org.tunnelbus.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears sessions come and go (whiteboard service).
 *
 * <p><b>Implemented by</b> modules that keep per-session tables (routing forgets a session's addresses,
 * management logs, notifications to management clients). <b>Called by</b> the core's {@link SessionRegistry}, outside any lock.
 */
@ConsumerType
public interface SessionListener {
    default void opened(Session session) {
    }

    default void closed(Session session, String reason) {
    }

    /**
     * The session moved from {@code previous} to {@link Session#state()} (HANDSHAKE to ACTIVE when the peer is
     * authenticated and configured, ACTIVE and RENEGOTIATING at every renegotiation, CLOSING). Called on the
     * thread that changed the state (a control thread), never on the data path; keep it short.
     *
     * @since 0.2.0
     */
    default void stateChanged(Session session, SessionState previous) {
    }
}
