package org.tunnelbus.openvpn.internal.client;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;

import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.tls.TlsEngineFactory;

/**
 * What a {@link ClientControl} needs from its connector: clock, socket, the services of the moment, the bus
 * for keepalives, and where to report that the tunnel came up or went down. Implemented by
 * {@link ClientConnector} and by tests. Called on the connector's control thread only.
 */
public interface ClientContext {
    /** How a connection ended: try again after the backoff, or stay down until the configuration changes. */
    enum Outcome {
        /** Try again, with the next server of the list (a failed or lost connection, as stock). */
        RECONNECT,
        /** Try again with the same server: it asked us to (RESTART without the N flag), or refused only our token. */
        RECONNECT_SAME,
        HALT
    }

    InstantSource clock();

    SecureRandom random();

    /** Sends one wire-form control packet (the remaining bytes of {@code datagram}) to the server now. */
    void transmit(ByteBuffer datagram);

    /** The TLS factory configured for new key states, or null if that provider is not running. */
    TlsEngineFactory tlsFactory();

    /**
     * The configuration handshake of the client's {@code handshake.mode}: push (applies a PUSH_REPLY) or agreement
     * (settles the tunnel from the server's key method 2); null if none runs.
     */
    ConfigHandshake handshake();

    /** The credentials key method 2 sends; they outlive a connection (a pushed auth-token serves reconnections). */
    ClientCredentials credentials();

    /** Sends {@code payload} (a keepalive ping, an OCC message) through the OUTGOING chain after routing. */
    void sendData(Session session, byte[] payload);

    /** The server pushed its configuration and the data keys are in the session: route, configure the device. */
    void up(ClientControl control, TunnelConfig config);

    /** A PUSH_UPDATE changed the configuration of the connected tunnel: reconfigure the device. */
    void updated(ClientControl control, TunnelConfig config);

    /** The connection is over (after it was up, or while connecting); {@code reason} is for the log. */
    void down(ClientControl control, Outcome outcome, String reason);
}
