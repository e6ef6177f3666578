package org.tunnelbus.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears sessions come and go (whiteboard service).
 *
 * <p><b>Implemented by</b> modules that keep per-session tables (routing forgets a session's addresses,
 * management logs). <b>Called by</b> the core's {@link SessionRegistry}, outside any lock.
 */
@ConsumerType
public interface SessionListener {
    default void opened(Session session) {
    }

    default void closed(Session session, String reason) {
    }
}
