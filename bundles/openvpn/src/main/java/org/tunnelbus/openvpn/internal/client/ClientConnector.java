package org.tunnelbus.openvpn.internal.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.channel.TlsChoice;
import org.tunnelbus.openvpn.internal.link.ControlInbox;
import org.tunnelbus.openvpn.internal.link.ControlThread;
import org.tunnelbus.openvpn.internal.link.EndpointContext;
import org.tunnelbus.openvpn.internal.link.NamedServices;
import org.tunnelbus.openvpn.internal.link.PacketDemux;
import org.tunnelbus.openvpn.internal.link.TransportBinding;
import org.tunnelbus.openvpn.internal.link.TransportLinkSink;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * One OpenVPN 2.6 client connection over UDP or TCP (factory PID {@value ClientConfig#PID}); what differs
 * between the two is in {@link ClientProto}.
 *
 * <pre>
 *  attempt: resolve remote ─▶ open the UDP socket / connect over TCP ({@link TransportOpener}) ─▶ SessionRegistry.open
 *           ─▶ a {@link ControlChannel} with a {@link ClientRole} (reset, TLS, key method 2, push)
 *  up:      {@link ClientTunnel}: route 0.0.0.0/0 → the session, device configuration; backoff reset
 *  down:    routes removed, session closed, transport closed; RECONNECT (also: the TCP connection closed)
 *           retries after the doubling backoff, with the next server of the list
 *  receive: {@link PacketDemux}: P_DATA_* → the session → bus INCOMING; control → control thread
 *  stop:    EXIT (cc-exit) or OCC_EXIT over UDP, then everything closes; the device configuration is deleted
 * </pre>
 *
 * Everything but the receive path runs on one control thread per connector.
 */
@Component(service = { SessionListener.class }, configurationPid = ClientConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ClientConfig.class, factory = true)
public final class ClientConnector implements SessionListener, TransportBinding.Events {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnector.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_CONTROL_QUEUE = 256;

    private final SessionRegistry registry;
    private final PacketBus bus;
    private final RouteTable routes;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ControlThread control;
    private final TransportLinkSink link;
    private final Context context;
    private final PacketDemux demux;
    private final NamedServices<TlsEngineFactory> tlsFactories = new NamedServices<>(TlsEngineFactory.PROVIDER);
    private final NamedServices<TransportFactory> transportFactories = new NamedServices<>(TransportFactory.PROTOCOL);
    private final NamedServices<ConfigHandshake> handshakes = new NamedServices<>(ConfigHandshake.MODE);
    private final ClientCredentials credentials = new ClientCredentials(); // control thread only
    private final TransportOpener opener;
    private volatile ConfigurationAdmin configAdmin;

    private volatile String pid = ClientConfig.PID;
    private volatile boolean active;
    // control thread only
    private ClientSettings settings;
    private Reconnects reconnects;
    private ClientTunnel tunnel;
    private volatile ClientRole connection;
    private volatile InetSocketAddress server;
    private Transport transport;

    @Activate
    public ClientConnector(@Reference SessionRegistry registry, @Reference PacketBus bus, @Reference RouteTable routes) {
        this(registry, bus, routes, InstantSource.system());
    }

    /** For tests and embedding: an explicit clock. */
    public ClientConnector(SessionRegistry registry, PacketBus bus, RouteTable routes, InstantSource clock) {
        this.registry = registry;
        this.bus = bus;
        this.routes = routes;
        this.clock = clock;
        int n = THREADS.incrementAndGet();
        this.link = new TransportLinkSink("openvpn-client-" + n);
        this.control = new ControlThread("tunnelbus-openvpn-client-" + n, () -> "OpenVPN client " + pid);
        this.opener = new TransportOpener("openvpn-client-" + n);
        this.context = new Context();
        this.demux = new PacketDemux(bus, PacketDemux.Peers.single(this::currentSession),
                new ControlInbox(MAX_CONTROL_QUEUE, control, this::control, () -> { }));
    }

    // ---- Lifecycle and configuration ----

    @Activate
    public void activate(Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        pid = p == null ? ClientConfig.PID : p.toString();
        tunnel = new ClientTunnel(routes, pid);
        active = true;
        configure(properties);
        control.ticks(this::tick, this::housekeeping);
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        configure(properties);
    }

    private void configure(Map<String, Object> properties) {
        ClientSettings next;
        try {
            next = ClientSettings.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}: {}; {}", pid, e.getMessage(),
                    settings == null ? "not connecting until a valid configuration arrives" : "keeping the previous one");
            return;
        }
        control.run(() -> apply(next));
    }

    private void apply(ClientSettings next) {
        boolean reconnect = settings != null;
        settings = next;
        if (reconnects != null) {
            reconnects.cancel();
        }
        reconnects = new Reconnects(pid, next, control);
        LOG.info("OpenVPN client {}: {}", pid, next);
        if (reconnect) {
            opener.cancel();
            disconnect("configuration changed");
        }
        credentials.clear(); // stock SIGHUP: a token belongs to the session of the old configuration
        connect();
    }

    @Deactivate
    public void deactivate() {
        active = false;
        control.step(() -> {
            if (reconnects != null) {
                reconnects.cancel();
            }
            opener.cancel();
            disconnect("client stopping");
            credentials.clear();
            tunnel.remove(configAdmin);
        });
        opener.shutdown();
        control.stop();
        LOG.info("OpenVPN client {} stopped", pid);
    }

    // ---- Services ----

    @Reference(service = TransportFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindTransportFactory(TransportFactory factory, Map<String, Object> properties) {
        String protocol = transportFactories.bind(factory, properties);
        if (active) {
            control.run(() -> { // an attempt waiting for this transport (startup order) need not sit out its backoff
                if (connection == null && reconnects != null && reconnects.scheduled()
                        && settings.proto().transport().equals(protocol)) {
                    reconnects.cancel();
                    connect();
                }
            });
        }
    }

    public void unbindTransportFactory(TransportFactory factory) {
        transportFactories.unbind(factory);
    }

    @Reference(service = TlsEngineFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindTlsEngineFactory(TlsEngineFactory factory, Map<String, Object> properties) {
        tlsFactories.bind(factory, properties);
    }

    public void unbindTlsEngineFactory(TlsEngineFactory factory) {
        tlsFactories.unbind(factory);
    }

    @Reference(service = ConfigHandshake.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.bind(h, properties);
    }

    public void unbindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.unbind(h);
    }

    @Reference(service = ConfigurationAdmin.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindConfigurationAdmin(ConfigurationAdmin admin) {
        configAdmin = admin;
    }

    public void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        if (configAdmin == admin) {
            configAdmin = null;
        }
    }

    // ---- Connection attempts (control thread) ----

    private void connect() {
        if (!active || settings == null || connection != null || opener.busy()) {
            return;
        }
        if (!credentials.reload(settings.authUserPass(), pid)) {
            retryLater();
            return;
        }
        ClientSettings s = settings;
        RemoteList.Remote remote = reconnects.server();
        TransportFactory f = transportFactories.best(s.proto().transport());
        opener.open(() -> TransportOpener.connect(f, s, remote, new TransportBinding(bus.allocator(), demux, this)),
                this::opened, control::run);
    }

    private void retryLater() {
        if (active) {
            reconnects.schedule(this::connect);
        }
    }

    /** The socket is open (or not): start the control channel, or try again later. Control thread. */
    private void opened(TransportOpener.Opened o) {
        if (o.problem() != null) {
            LOG.warn("OpenVPN client {}: cannot connect to {}: {}", pid, reconnects.server(), o.problem());
            reconnects.nextServer();
            retryLater();
            return;
        }
        if (!active || connection != null) {
            o.close();
            return;
        }
        server = o.server();
        transport = o.transport();
        link.transport(transport);
        Session session = registry.open(server);
        session.set(TransportLink.KEY, link);
        ClientSettings s = settings;
        ControlChannel channel = new ControlChannel(context, s.channelSettings(), session, server,
                SessionId.random(random), PacketIdCounter.longForm(), ch -> new ClientRole(context, s, ch));
        ClientRole role = (ClientRole) channel.role();
        connection = role;
        LOG.info("OpenVPN client {}: connecting to {} {} from {}", pid, s.proto(), server, transport.localAddress());
        role.start();
    }

    /** Ends the current connection, telling the server (its down() cleans up); no retry is scheduled by this. */
    private void disconnect(String reason) {
        ClientRole c = connection;
        if (c != null) {
            c.exit(reason);
        }
    }

    private void cleanUp(ClientRole c, String reason) {
        if (connection != c) {
            return;
        }
        connection = null;
        credentials.forgetPassword(); // the next attempt reads the file again
        Session session = c.channel().session();
        tunnel.down(session);
        registry.close(session, reason);
        link.transport(null);
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    // ---- ClientContext (control thread) ----

    /** What this connection's control channel sees of the connector. */
    private final class Context extends EndpointContext implements ClientContext {
        Context() {
            super(clock, random, link, bus);
        }

        @Override
        public TlsChoice tlsChoice() {
            TlsEngineFactory f = tlsFactories.best(settings.channel().tlsProvider());
            return f == null ? null : new TlsChoice(settings.channel().tlsProvider(), f);
        }

        @Override
        public ClientCredentials credentials() {
            return credentials;
        }

        @Override
        public ConfigHandshake handshake() {
            ClientSettings s = settings;
            return handshakes.best(s == null ? "push" : s.channel().handshakeMode());
        }

        @Override
        public void up(ClientRole role, TunnelConfig config) {
            reconnects.connected();
            tunnel.up(role.channel().session(), config, settings, configAdmin);
        }

        @Override
        public void updated(ClientRole role, TunnelConfig config) {
            tunnel.configure(config, settings, configAdmin);
        }

        @Override
        public void down(ClientRole role, Outcome outcome, String reason) {
            boolean wasUp = role.pushed() != null;
            LOG.info("OpenVPN client {}: {} {}: {}", pid, wasUp ? "disconnected from" : "connection to", server, reason);
            cleanUp(role, reason);
            if (outcome == Outcome.RECONNECT) {
                reconnects.nextServer();
            }
            if (outcome != Outcome.HALT) {
                retryLater();
            } else if (active) {
                LOG.warn("OpenVPN client {}: not reconnecting ({}); change the configuration to try again", pid, reason);
            }
        }
    }

    // ---- The socket: data to the bus (transport thread), control to the control thread ----

    private Session currentSession() {
        ClientRole c = connection;
        return c == null ? null : c.channel().session();
    }

    /** Control packets come from the server's address only: they never float (§2.1). Control thread. */
    private void control(InetSocketAddress from, byte[] datagram) {
        ClientRole c = connection;
        if (c != null && from != null && from.equals(server)) {
            c.channel().onDatagram(ByteBuffer.wrap(datagram));
        }
    }

    /** Over TCP this is the server (or the network) ending our connection: a lost connection, so reconnect. */
    @Override
    public void closed(TransportBinding binding, InetSocketAddress remote, String reason) {
        control.run(() -> {
            ClientRole c = connection;
            if (c != null && transport == binding.transport()) {
                transport = null; // it is gone already
                c.channel().end(Outcome.RECONNECT, settings.proto() + " connection closed: " + reason);
            }
        });
    }

    // ---- Timers and the control thread ----

    private void tick() {
        ClientRole c = connection;
        if (c != null) {
            c.channel().tick();
        }
    }

    private void housekeeping() {
        ClientRole c = connection;
        if (c != null) {
            c.channel().housekeeping();
        }
    }

    /** The server closed our session from elsewhere (management): treat it as a lost connection. */
    @Override
    public void closed(Session session, String reason) {
        control.run(() -> {
            ClientRole c = connection;
            if (c != null && c.channel().session() == session && !c.channel().hasEnded()) {
                c.exit(reason);
                retryLater();
            }
        });
    }

    /** Starts a renegotiation of the current connection now (management, tests). */
    public void renegotiate() {
        control.run(() -> {
            ClientRole c = connection;
            if (c != null) {
                c.channel().renegotiateNow();
            }
        });
    }

    /** The current connection's control channel (tests, status), or null. */
    public ControlChannel control() {
        ClientRole c = connection;
        return c == null ? null : c.channel();
    }

    @Override
    public String toString() {
        return "ClientConnector[" + pid + ", " + settings + "]";
    }
}
