package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.control.AuthToken;
import org.tunnelbus.openvpn.internal.link.EndpointContext;
import org.tunnelbus.openvpn.internal.link.NamedServices;
import org.tunnelbus.openvpn.internal.link.TransportLinkSink;

/**
 * What a listener's control channels see of it ({@link ServerContext}): the clock, the socket link, the services of
 * the moment (TLS providers, authenticators, configuration handshakes, tokens) and its tables. The listener binds the
 * services in; everything here is read on the control thread, except the bindings.
 */
final class ListenerContext extends EndpointContext implements ServerContext {
    final NamedServices<TlsEngineFactory> tlsFactories = new NamedServices<>(TlsEngineFactory.PROVIDER);
    final NamedServices<ConfigHandshake> handshakes = new NamedServices<>(ConfigHandshake.MODE);
    final ClientAuthentication authentication;

    private final SessionRegistry registry;
    private final ServerChannels channels;
    private final ListenerCounters counters;
    private final Supplier<ServerSettings> settings;
    private final Supplier<TransportAdmission> admission;
    private final Consumer<Runnable> controlThread;
    private volatile AuthToken authToken;

    ListenerContext(Listener listener, String name) {
        super(listener.clock(), listener.random(), listener.link(), listener.bus());
        this.registry = listener.registry();
        this.channels = listener.channels();
        this.counters = listener.counters();
        this.settings = listener.settings();
        this.admission = listener.admission();
        this.controlThread = listener.controlThread();
        this.authentication = new ClientAuthentication(name);
    }

    /** What the listener hands its context. */
    record Listener(InstantSource clock, SecureRandom random, SessionRegistry registry, PacketBus bus,
            TransportLinkSink link, ServerChannels channels, ListenerCounters counters,
            Supplier<ServerSettings> settings, Supplier<TransportAdmission> admission,
            Consumer<Runnable> controlThread) {
    }

    void authToken(AuthToken tokens) {
        this.authToken = tokens;
    }

    @Override
    protected void transmitted(String dropped) {
        counters.count(dropped == null ? "control.out" : "drop." + dropped);
    }

    @Override
    protected void pinged(boolean sent) {
        counters.count(sent ? "keepalive.sent" : "drop.ping-pool-empty");
    }

    @Override
    public TlsChoice tlsChoice() {
        ServerSettings s = settings.get();
        if (s == null) {
            return null;
        }
        TlsEngineFactory f = tlsFactories.best(s.tlsProvider());
        return f == null ? null : new TlsChoice(s.tlsProvider(), f);
    }

    @Override
    public boolean isAvailable(TlsEngineFactory factory) {
        return tlsFactories.contains(factory);
    }

    @Override
    public void authenticate(Credentials credentials, Consumer<AuthResult> then) {
        authentication.submit(credentials, settings.get(), then, controlThread);
    }

    @Override
    public AuthToken authToken() {
        return authToken;
    }

    @Override
    public ConfigHandshake handshake(String mode) {
        return handshakes.best(mode);
    }

    @Override
    public SessionRegistry registry() {
        return registry;
    }

    @Override
    public int endOthersNamed(Session newcomer, String reason) {
        int n = 0;
        for (ControlChannel c : channels.all()) {
            Session s = c.session();
            if (s != newcomer && s.name().equals(newcomer.name()) && !c.hasEnded()) {
                c.end(Outcome.HALT, reason);
                n++;
            }
        }
        return n;
    }

    @Override
    public void onControlThread(Runnable r) {
        controlThread.accept(r);
    }

    @Override
    public void moved(ControlChannel channel, InetSocketAddress from, InetSocketAddress to) {
        channels.moved(channel, from, to);
    }

    /** The channel is gone; on TCP its connection goes with it, as stock closes a client's socket with its instance. */
    @Override
    public void ended(ControlChannel channel) {
        channels.remove(channel);
        counters.count("sessions.closed");
        TransportAdmission a = admission.get();
        Transport t = link().transport();
        if (a != null && a.sessionOwnsConnection() && t != null) {
            t.disconnect(channel.remote(), "session ended");
        }
    }
}
