package org.tunnelbus.openvpn.internal.channel;

import java.nio.ByteBuffer;

import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.tls.TlsRole;

/**
 * What differs between the two sides of a {@link ControlChannel}: the key-method-2 message each side sends and
 * what it does with the peer's, push versus pull, what a failure means. Implemented by {@code server.ServerRole}
 * (a stock p2mp server: authenticates, pushes) and {@code client.ClientRole} (a stock client: pulls, applies).
 * Called on the channel's control thread only, never re-entrantly from another channel.
 */
public interface ChannelRole {
    /** Our side of TLS: who starts TLS when, which half of the key material is whose. */
    TlsRole tlsRole();

    /** The TLS provider for the next key id after {@code current}, or null when there is none (the role logs why). */
    TlsChoice renegotiationTls(KeyState current);

    /** The TLS handshake of {@code ks} completed (a TLS client sends its key method 2 now). */
    void tlsEstablished(KeyState ks);

    /** The first TLS record of {@code ks}: the peer's key method 2. */
    void keyMethod(KeyState ks, ByteBuffer record);

    /** One control message after the key method 2 exchange (PUSH_REQUEST, PUSH_REPLY, AUTH_FAILED, EXIT, ...). */
    void controlMessage(KeyState ks, String message);

    /**
     * {@code ks} took over: our key method 2 is acknowledged and the peer's was read.
     *
     * @param first key id 0 (the channel is now KEYED), else a renegotiation completed
     */
    void activated(KeyState ks, boolean first);

    /** A key state failed while the tunnel was not up yet: the connection attempt is over (the role ends it). */
    void failedToConnect(String reason);

    /** Role timers, every tick (about 100 ms): PUSH_REQUEST repeats. */
    void tick(long nowMillis);

    /** Role upkeep, about once a second, before the channel's own deadlines: float, connect timeout, config updates. */
    void housekeeping(long nowMillis);

    /** Seconds without traffic from the peer after which the channel ends (a server doubles the pushed value). */
    int pingRestartSeconds(TunnelConfig config);

    /** When to renegotiate after a key took over, given reneg-sec (a p2mp server takes a random 0–10 % off). */
    long renegotiationDelayMillis(long intervalMillis);

    /** The channel ended (keys wiped, TLS closed): tell the endpoint, log the disconnect. */
    void ended(Outcome outcome, String reason);

    /** Who the peer is, for log lines: {@code alice (192.0.2.1:1194)}. */
    String who();
}
