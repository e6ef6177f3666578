package org.tunnelbus.openvpn.internal.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.function.Consumer;

import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.openvpn.internal.control.AuthToken;

/**
 * What a {@link ControlSession} needs from its listener: the clock, the socket, the services of the moment
 * (TLS provider, authenticators, configuration handshake) and the bus for keepalives. Implemented by the
 * listener component, and by test harnesses. Every method is called on the listener's control thread.
 */
public interface ServerContext {
    /** The TLS factory chosen by configuration right now, with its provider name. */
    record TlsChoice(String provider, TlsEngineFactory factory) {
    }

    InstantSource clock();

    SecureRandom random();

    /** Sends one wire-form control packet (the remaining bytes of {@code datagram}) to {@code to} now. */
    void transmit(InetSocketAddress to, ByteBuffer datagram);

    /** The TLS provider new key states get, or null if the configured one is not running. */
    TlsChoice tlsChoice();

    /** Whether {@code factory} is still registered (a session may renegotiate with the provider it started with). */
    boolean isAvailable(TlsEngineFactory factory);

    /**
     * Runs every authenticator (and checks the required schemes are there), off the control thread: password
     * hashing is slow by design.
     *
     * @param then gets the verdict later, on the control thread; an accepted identity may be "" when no
     *             authenticator named one
     */
    void authenticate(Credentials credentials, Consumer<AuthResult> then);

    /** The session tokens of the listener's current configuration (auth-gen-token), or null if off. */
    AuthToken authToken();

    /** The running configuration handshake of a {@code tunnelbus.handshake.mode} (push, agreement), or null. */
    ConfigHandshake handshake(String mode);

    SessionRegistry registry();

    /** Sends a keepalive ping to the session through the OUTGOING chain (after routing). */
    void sendPing(Session session);

    /** The session's peer moved (float); the listener re-keys its address table. */
    void moved(ControlSession session, InetSocketAddress from, InetSocketAddress to);

    /** The control session ended and forgot everything; the listener drops it from its tables. */
    void ended(ControlSession session);
}
