package org.tunnelbus.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The control channel of a session, for operators: the protocol module keeps one in each session it runs
 * (under {@link #KEY}), so management and the web console can end a session the way the peer understands.
 *
 * <p>Ending a session with {@link SessionRegistry#close} alone frees it on this side only: a UDP peer notices
 * nothing until its keepalive times out. {@link #disconnect} first tells the peer (stock OpenVPN's
 * {@code client-kill}: a {@code RESTART} or {@code HALT} control message), then closes the session once the
 * message had time to arrive.
 *
 * <p><b>Implemented by</b> the protocol module. <b>Called by</b> management and operator tools, from any thread.
 *
 * @since 0.2.0
 */
@ConsumerType
public interface PeerControl {
    /** The session key the protocol module keeps its control handle under. */
    SessionKey<PeerControl> KEY = SessionKey.of("peer-control", PeerControl.class);

    /** What a peer is told when an operator ends its session: reconnect, or stop. */
    enum Notice {
        /** Reconnect (stock {@code RESTART}; the stock client logs {@code server-pushed-connection-reset}). */
        RESTART,
        /**
         * Stop and do not reconnect (stock {@code HALT}; the stock client logs {@code Halt command was pushed by
         * server} and exits).
         */
        HALT
    }

    /**
     * Tells the peer {@code notice} and ends the session with {@code reason} (logged, and passed to every
     * {@link SessionListener#closed}) shortly after. Returns at once; a session already ending is left alone.
     */
    void disconnect(Notice notice, String reason);

    /**
     * Ends {@code session} as an operator asked: through its {@link PeerControl} when the protocol module keeps
     * one (the peer is told), otherwise through the registry alone.
     */
    static void end(SessionRegistry registry, Session session, Notice notice, String reason) {
        PeerControl control = session.get(KEY);
        if (control != null) {
            control.disconnect(notice, reason);
        } else {
            registry.close(session, reason);
        }
    }
}
