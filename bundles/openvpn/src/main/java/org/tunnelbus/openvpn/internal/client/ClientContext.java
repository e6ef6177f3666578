package org.tunnelbus.openvpn.internal.client;

import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.channel.ChannelContext;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;

/**
 * What a {@link ClientRole} needs from its connector beyond the channel's basics: the services of the moment, the
 * credentials, and where to report that the tunnel came up, changed or went down. Implemented by
 * {@link ClientConnector} and by tests. Called on the connector's control thread only.
 */
interface ClientContext extends ChannelContext {
    /** The TLS provider configured for this connection, or null if that provider is not running. */
    TlsChoice tlsChoice();

    /**
     * The configuration handshake of the client's {@code handshake.mode}: push (applies a PUSH_REPLY) or agreement
     * (settles the tunnel from the server's key method 2); null if none runs.
     */
    ConfigHandshake handshake();

    /** The credentials key method 2 sends; they outlive a connection (a pushed auth-token serves reconnections). */
    ClientCredentials credentials();

    /** Sends {@code payload} (an OCC message) through the OUTGOING chain after routing. */
    boolean sendData(Session session, byte[] payload);

    /** The tunnel is up (pushed or agreed) and the data keys are in the session: route, configure the device. */
    void up(ClientRole role, TunnelConfig config);

    /** A PUSH_UPDATE changed the configuration of the connected tunnel: reconfigure the device. */
    void updated(ClientRole role, TunnelConfig config);

    /** The connection is over (after it was up, or while connecting); {@code reason} is for the log. */
    void down(ClientRole role, Outcome outcome, String reason);
}
