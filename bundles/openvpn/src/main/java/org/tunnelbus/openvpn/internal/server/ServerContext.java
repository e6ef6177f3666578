package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.openvpn.internal.channel.ChannelContext;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.control.AuthToken;

/**
 * What a client's {@link ServerRole} needs from its listener beyond the channel's basics: the services of the moment
 * (TLS provider, authenticators, configuration handshake, tokens) and the listener's tables. Implemented by the
 * listener, and by test harnesses. Every method is called on the listener's control thread.
 */
interface ServerContext extends ChannelContext {
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

    /** The client moved (float); the listener re-keys its address table. */
    void moved(ControlChannel channel, InetSocketAddress from, InetSocketAddress to);

    /**
     * Ends the other sessions of this listener named like {@code newcomer} (stock without {@code --duplicate-cn}:
     * a new connection replaces them, silently); returns how many.
     */
    int endOthersNamed(Session newcomer, String reason);

    /** Runs {@code r} on the listener's control thread (an operator's request from another thread). */
    void onControlThread(Runnable r);

    /** The channel ended and forgot everything; the listener drops it from its tables. */
    void ended(ControlChannel channel);
}
