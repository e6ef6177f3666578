package org.tunnelbus.api.handshake;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.session.Session;

/**
 * Settles a session's tunnel configuration (the configuration handshake box), in one of two models:
 * agreement (both sides configured alike, the options strings compared) or push (the server pushes and
 * overrides).
 *
 * <p><b>Implemented by</b> the {@code handshake} module, registered with property {@value #MODE}.
 * <b>Called by</b> the protocol module on the control channel once the peer is authenticated.
 */
@ConsumerType
public interface ConfigHandshake {
    /** Service property: {@code push} or {@code agreement}. */
    String MODE = "tunnelbus.handshake.mode";

    /**
     * Server side: the options to push to this peer (without the {@code PUSH_REPLY} prefix), after the
     * peer's options were checked; records what was negotiated (address, cipher, peer-id) in the session, and
     * the peer's {@link PeerOptions} under {@link PeerOptions#KEY}.
     *
     * @throws HandshakeRefusedException when the peer cannot be served (pool exhausted, strict mismatch)
     */
    List<String> serve(Session session, PeerOptions peer) throws HandshakeRefusedException;

    /** Client side: applies options received from the server to the session. */
    void apply(Session session, List<String> options) throws HandshakeRefusedException;

    /**
     * Agreement model: what this side is configured with, for the protocol module's options string and peer-info
     * (read once per new peer, so a configuration change applies to the next one).
     *
     * @return the configuration, or null in the push model (the default)
     */
    default AgreementOptions agreement() {
        return null;
    }

    /**
     * Server side: whether the configuration of a served, connected peer changed since it was served or last
     * updated. Called by the protocol module about once a second per connected session, on that session's control
     * thread; it must be cheap when nothing changed. Each change is reported once; the session's
     * {@link TunnelConfig} then already holds the new options.
     *
     * @return the change, or null if there is none (the default, and always in the agreement model)
     */
    default ConfigUpdate update(Session session) {
        return null;
    }
}
