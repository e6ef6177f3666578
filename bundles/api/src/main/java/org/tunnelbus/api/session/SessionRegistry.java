package org.tunnelbus.api.session;

import java.net.InetSocketAddress;
import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * All live sessions of this instance.
 *
 * <p><b>Implemented by</b> the core, registered as a service. <b>Called by</b> the protocol module (creates a
 * session when a peer's handshake starts, finds it by peer-id for each data packet), by routing, and by
 * management. Thread-safe; {@link #byPeerId(int)} is lock-free and allocation-free.
 */
@ProviderType
public interface SessionRegistry {
    /** Creates a session in {@link SessionState#HANDSHAKE} for a peer at {@code remote}, with a fresh peer-id. */
    Session open(InetSocketAddress remote);

    /** The session with this peer-id, or null. */
    Session byPeerId(int peerId);

    /** The session with this id, or null. */
    Session byId(long id);

    /** A snapshot of the live sessions. */
    Collection<Session> sessions();

    /** Marks the session CLOSED, frees its peer-id and tells the {@link SessionListener}s why. */
    void close(Session session, String reason);
}
