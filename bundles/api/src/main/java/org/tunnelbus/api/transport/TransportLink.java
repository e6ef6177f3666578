package org.tunnelbus.api.transport;

import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.session.SessionKey;

/**
 * Where a session's outgoing packets leave the bus: the {@link PacketSink} that hands them to the transport
 * the session's peer talks to (its listener's socket, or a client's connection), kept in the session under
 * {@link #KEY}.
 *
 * <p><b>Who writes it:</b> the protocol module's listener or connector, when it opens the session (and again
 * if it moves the session to another transport). <b>Who reads it:</b> the outgoing encapsulation stage, which
 * sets it as the packet's {@link org.tunnelbus.api.packet.Packet#sink()} together with the session's remote
 * address. The sink stays valid while its transport is reopened (e.g. the socket module is updated): it
 * forwards to whichever transport is current, and counts and releases packets while there is none.
 *
 * @since 0.3.0
 */
public final class TransportLink {
    /** The session key of the session's transport link. */
    public static final SessionKey<PacketSink> KEY = SessionKey.of("transport-link", PacketSink.class);

    private TransportLink() {
    }
}
