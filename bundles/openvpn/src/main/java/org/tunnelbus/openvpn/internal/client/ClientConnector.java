package org.tunnelbus.openvpn.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.openvpn.internal.server.TransportLinkSink;
import org.tunnelbus.openvpn.internal.session.ControlExecutor;
import org.tunnelbus.openvpn.internal.session.HandshakeServices;
import org.tunnelbus.openvpn.internal.session.ShutdownStep;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * One OpenVPN 2.6 client connection over UDP or TCP (factory PID {@value ClientConfig#PID}); what differs
 * between the two is in {@link ClientProto}.
 *
 * <pre>
 *  attempt: resolve remote ─▶ open the UDP socket / connect over TCP ─▶ SessionRegistry.open
 *           ─▶ ClientControl.start (reset, TLS, ...)
 *  up:      route 0.0.0.0/0 → the session (the device hands us only what the kernel routes into it), device
 *           configuration with the pushed address and routes (Config Admin), backoff reset
 *  down:    routes removed, session closed, transport closed; RECONNECT (also: the TCP connection closed)
 *           retries after the doubling backoff
 *  receive: P_DATA_* → the session → bus INCOMING (stages open, route to the device); control → control thread
 *  stop:    EXIT (cc-exit) or OCC_EXIT over UDP, then everything closes; the device configuration is deleted
 * </pre>
 *
 * Everything but the receive path runs on one control thread per connector.
 */
@Component(service = { SessionListener.class }, configurationPid = ClientConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ClientConfig.class, factory = true)
public final class ClientConnector implements ClientContext, SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnector.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long TICK_MILLIS = 100;
    private static final int TICKS_PER_HOUSEKEEPING = 10;
    private static final int TRANSPORT_BATCH = 64;
    private static final int OUTGOING_AFTER_ROUTE = Box.ROUTE.order(Direction.OUTGOING) + 1;
    private static final Prefix DEFAULT_ROUTE = Prefix.parse("0.0.0.0/0");

    private final SessionRegistry registry;
    private final PacketBus bus;
    private final RouteTable routes;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor executor;
    private final TransportLinkSink link;
    private final ThreadLocal<PacketBatch> incoming = ThreadLocal.withInitial(() -> new PacketBatch(TRANSPORT_BATCH));
    private final List<Registered<TlsEngineFactory>> tlsFactories = new CopyOnWriteArrayList<>();
    private final List<Registered<TransportFactory>> transportFactories = new CopyOnWriteArrayList<>();
    private final ClientCredentials credentials = new ClientCredentials(); // control thread only
    private final HandshakeServices handshakes = new HandshakeServices();
    private final TransportOpener opener;
    private volatile ConfigurationAdmin configAdmin;

    private volatile String pid = ClientConfig.PID;
    private volatile boolean active;
    // control thread only
    private ClientSettings settings;
    private Backoff backoff;
    private DeviceConfigWriter device;
    private boolean deviceWritten;
    private volatile ClientControl control;
    private volatile InetSocketAddress server;
    private RemoteList remotes;
    private Transport transport;
    private ScheduledFuture<?> retry;
    private long ticks;
    private String credentialProblem;

    /** A whiteboard service with the name it is chosen by (provider, protocol) and its ranking. */
    private record Registered<T>(T service, String name, int ranking) {
        static <T> Registered<T> of(T service, Map<String, Object> properties, String nameProperty) {
            Object name = properties.get(nameProperty);
            Object ranking = properties.get("service.ranking");
            return new Registered<>(service, name == null ? "" : name.toString(), ranking instanceof Integer i ? i : 0);
        }

        /** The highest-ranked service named {@code name}, or null. */
        static <T> T best(List<Registered<T>> all, String name) {
            return all.stream().filter(r -> r.name().equals(name)).max(Comparator.comparingInt(Registered::ranking))
                    .map(Registered::service).orElse(null);
        }
    }

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
        this.executor = ControlExecutor.create("tunnelbus-openvpn-client-" + n, t -> { });
        this.opener = new TransportOpener("openvpn-client-" + n);
    }

    // =====================================================================================================
    // Lifecycle and configuration
    // =====================================================================================================

    @Activate
    public void activate(Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        pid = p == null ? ClientConfig.PID : p.toString();
        active = true;
        configure(properties);
        executor.scheduleAtFixedRate(() -> run(this::tick), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
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
        run(() -> apply(next));
    }

    private void apply(ClientSettings next) {
        boolean reconnect = settings != null;
        settings = next;
        remotes = new RemoteList(next.remotes(), next.remoteRandom(), new Random());
        backoff = new Backoff(next.retryMillis(), next.retryMaxMillis());
        device = new DeviceConfigWriter(alias());
        LOG.info("OpenVPN client {}: {}", pid, next);
        if (reconnect) {
            opener.cancel();
            disconnect("configuration changed", true);
        }
        credentials.clear(); // stock SIGHUP: a token belongs to the session of the old configuration
        credentialProblem = null;
        connect();
    }

    @Deactivate
    public void deactivate() {
        active = false;
        ShutdownStep.run(executor, "OpenVPN client " + pid, () -> {
            cancelRetry();
            opener.cancel();
            disconnect("client stopping", true);
            credentials.clear();
            ConfigurationAdmin admin = configAdmin;
            if (deviceWritten && admin != null) {
                device.delete(admin);
            }
        });
        opener.shutdown();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("OpenVPN client {} stopped", pid);
    }

    /** {@code office} for {@code org.tunnelbus.openvpn.client~office}. */
    private String alias() {
        int tilde = pid.indexOf('~');
        return tilde < 0 ? "client" : "client-" + pid.substring(tilde + 1);
    }

    // =====================================================================================================
    // Services
    // =====================================================================================================

    @Reference(service = TransportFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindTransportFactory(TransportFactory factory, Map<String, Object> properties) {
        Registered<TransportFactory> r = Registered.of(factory, properties, TransportFactory.PROTOCOL);
        transportFactories.add(r);
        if (active) {
            run(() -> { // an attempt waiting for this transport (startup order) need not sit out its backoff
                if (control == null && retry != null && settings != null
                        && settings.proto().transport().equals(r.name())) {
                    cancelRetry();
                    connect();
                }
            });
        }
    }

    public void unbindTransportFactory(TransportFactory factory) {
        transportFactories.removeIf(r -> r.service() == factory);
    }

    @Reference(service = TlsEngineFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindTlsEngineFactory(TlsEngineFactory factory, Map<String, Object> properties) {
        tlsFactories.add(Registered.of(factory, properties, TlsEngineFactory.PROVIDER));
    }

    public void unbindTlsEngineFactory(TlsEngineFactory factory) {
        tlsFactories.removeIf(r -> r.service() == factory);
    }

    @Reference(service = ConfigHandshake.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.bind(h, properties);
    }

    public void unbindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.unbind(h, properties);
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

    // =====================================================================================================
    // Connection attempts (control thread)
    // =====================================================================================================

    private void connect() {
        retry = null;
        if (!active || settings == null || control != null || opener.busy()) {
            return;
        }
        if (!credentialsReadable()) {
            scheduleRetry();
            return;
        }
        ClientSettings s = settings;
        RemoteList.Remote remote = remotes.current();
        opener.open(() -> open(s, remote), this::opened, this::run);
    }

    /** The socket is open (or not): start the control channel, or try again later. Control thread. */
    private void opened(TransportOpener.Opened o) {
        if (o.problem() != null) {
            LOG.warn("OpenVPN client {}: cannot connect to {}: {}", pid, remotes.current(), o.problem());
            nextServer();
            scheduleRetry();
            return;
        }
        if (!active || control != null) {
            o.close();
            return;
        }
        server = o.server();
        transport = o.transport();
        link.transport(transport);
        Session session = registry.open(server);
        session.set(TransportLink.KEY, link);
        ClientControl c = new ClientControl(this, settings, session);
        control = c;
        LOG.info("OpenVPN client {}: connecting to {} {} from {}", pid, settings.proto(), server,
                transport.localAddress());
        c.start();
    }

    /**
     * Reads the auth.user.pass file again (an edit applies at the next attempt). A problem is logged once as an
     * error, not at every retry, and nothing is sent to the server until the file is readable.
     */
    private boolean credentialsReadable() {
        String problem = credentials.load(settings.authUserPass());
        if (problem != null && !problem.equals(credentialProblem)) {
            LOG.error("OpenVPN client {}: {}; not connecting until it is fixed (checked at every attempt)", pid, problem);
        } else if (problem == null && credentialProblem != null) {
            LOG.info("OpenVPN client {}: {} is readable again", pid, settings.authUserPass());
        }
        credentialProblem = problem;
        return problem == null;
    }

    /**
     * Resolves the server (again at every attempt, as stock) and opens the socket (TCP: connects, for up to
     * connect.timeout). On the opener's thread: it touches no state of the connector.
     */
    private TransportOpener.Opened open(ClientSettings s, RemoteList.Remote remote) {
        String protocol = s.proto().transport();
        TransportFactory f = Registered.best(transportFactories, protocol);
        if (f == null) {
            return TransportOpener.Opened.failed("no " + protocol.toUpperCase(Locale.ROOT) + " transport is running ("
                    + TransportFactory.PROTOCOL + "=" + protocol + ")");
        }
        try {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(remote.host()), remote.port());
            InetSocketAddress local = new InetSocketAddress(InetAddress.getByName(s.local()), s.localPort());
            Binding b = new Binding();
            b.transport = f.open(new TransportSpec(local, to, TRANSPORT_BATCH, 0, 0, s.connectTimeoutMillis()), b);
            return new TransportOpener.Opened(to, b.transport, null);
        } catch (UnknownHostException e) {
            return TransportOpener.Opened.failed("cannot resolve '" + remote.host() + "' (property 'remote')");
        } catch (IOException | RuntimeException e) {
            return TransportOpener.Opened.failed(e.getMessage());
        }
    }

    /** A failed or lost connection: the next attempt goes to the next server of the list, if there is one. */
    private void nextServer() {
        if (remotes.size() > 1) {
            remotes.advance();
            LOG.info("OpenVPN client {}: next server {}", pid, remotes.current());
        }
    }

    private void scheduleRetry() {
        if (!active || retry != null) {
            return;
        }
        long delay = backoff.next();
        LOG.info("OpenVPN client {}: next attempt in {} s", pid, delay / 1000.0);
        retry = executor.schedule(() -> run(this::connect), delay, TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** Ends the current connection (telling the server if {@code exit}); no retry is scheduled by this. */
    private void disconnect(String reason, boolean exit) {
        ClientControl c = control;
        if (c == null) {
            return;
        }
        if (exit) {
            c.exit(reason); // reports down(HALT) synchronously
        }
        cleanUp(c, reason);
    }

    private void cleanUp(ClientControl c, String reason) {
        if (control != c) {
            return;
        }
        control = null;
        credentials.forgetPassword(); // the next attempt reads the file again
        routes.removeAll(c.session());
        registry.close(c.session(), reason);
        link.transport(null);
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    // =====================================================================================================
    // ClientContext (control thread)
    // =====================================================================================================

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public SecureRandom random() {
        return random;
    }

    @Override
    public void transmit(ByteBuffer datagram) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            return; // pool empty: the reliable layer resends
        }
        p.put(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining());
        p.address(server);
        link.accept(p);
        link.flush();
    }

    @Override
    public TlsEngineFactory tlsFactory() {
        return Registered.best(tlsFactories, settings.tlsProvider());
    }

    @Override
    public ClientCredentials credentials() {
        return credentials;
    }

    @Override
    public ConfigHandshake handshake() {
        ClientSettings s = settings;
        return handshakes.get(s == null ? "push" : s.handshakeMode());
    }

    @Override
    public void sendData(Session session, byte[] payload) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            return;
        }
        p.put(payload, 0, payload.length);
        p.session(session);
        // not an IP packet: it enters after routing, as stock encrypts pings straight away
        bus.inject(Direction.OUTGOING, p, OUTGOING_AFTER_ROUTE);
    }

    @Override
    public void up(ClientControl c, TunnelConfig config) {
        backoff.reset();
        routes.add(DEFAULT_ROUTE, c.session());
        if (config != null && config.address() != null) {
            routes.add(Prefix.parse(config.address()), c.session());
        }
        configureDevice(config);
    }

    @Override
    public void updated(ClientControl c, TunnelConfig config) {
        configureDevice(config);
    }

    private void configureDevice(TunnelConfig config) {
        if (settings.device().isEmpty() || config == null) {
            return;
        }
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            LOG.warn("OpenVPN client {}: no Config Admin; configure device '{}' with address {} yourself", pid,
                    settings.device(), config.address());
            return;
        }
        deviceWritten |= device.write(admin, DeviceConfigWriter.properties(settings.device(), settings.deviceMtu(), config));
    }

    @Override
    public void down(ClientControl c, Outcome outcome, String reason) {
        boolean wasUp = c.isUp() || c.pushed() != null;
        LOG.info("OpenVPN client {}: {} {}: {}", pid, wasUp ? "disconnected from" : "connection to", server, reason);
        cleanUp(c, reason);
        if (outcome == Outcome.RECONNECT) {
            nextServer();
        }
        if (outcome != Outcome.HALT) {
            scheduleRetry();
        } else if (active) {
            LOG.warn("OpenVPN client {}: not reconnecting ({}); change the configuration to try again", pid, reason);
        }
    }

    // =====================================================================================================
    // The socket (transport thread): data to the bus, control to the control thread
    // =====================================================================================================

    private final class Binding implements TransportListener {
        volatile Transport transport;

        @Override
        public PacketAllocator allocator() {
            return bus.allocator();
        }

        @Override
        public void received(PacketBatch batch) {
            ClientConnector.this.received(batch);
        }

        /** Over TCP this is the server (or the network) ending our connection: a lost connection, so reconnect. */
        @Override
        public void closed(InetSocketAddress remote, String reason) {
            run(() -> {
                ClientControl c = control;
                if (c != null && ClientConnector.this.transport == transport) {
                    ClientConnector.this.transport = null; // it is gone already
                    c.lost(settings.proto() + " connection closed: " + reason);
                }
            });
        }
    }

    void received(PacketBatch batch) {
        PacketBatch data = incoming.get();
        ClientControl c = control;
        Session session = c == null ? null : c.session();
        for (int i = 0; i < batch.size(); i++) {
            Packet p = batch.get(i);
            if (p == null) {
                continue;
            }
            int opcode = p.length() > 0 ? (p.get(0) & 0xFF) >>> HeaderByte.OPCODE_SHIFT : -1;
            if (opcode == Opcode.DATA_V2.value() || opcode == Opcode.DATA_V1.value()) {
                p.session(session); // null: the decapsulation stage drops and counts it
                data.add(p);
                if (data.isFull()) {
                    bus.submit(Direction.INCOMING, data);
                }
            } else {
                control(p);
            }
        }
        batch.clear();
        if (!data.isEmpty()) {
            bus.submit(Direction.INCOMING, data);
        }
    }

    private void control(Packet p) {
        InetSocketAddress from = p.address();
        byte[] datagram = new byte[p.length()];
        p.buffer().get(p.offset(), datagram);
        p.release();
        run(() -> {
            ClientControl c = control;
            if (c != null && from != null && from.equals(server)) { // control packets never float (§2.1)
                c.onDatagram(ByteBuffer.wrap(datagram));
            }
        });
    }

    // =====================================================================================================
    // Timers and the control thread
    // =====================================================================================================

    private void tick() {
        ClientControl c = control;
        if (c == null) {
            return;
        }
        c.tick();
        if (++ticks % TICKS_PER_HOUSEKEEPING == 0 && control == c) {
            c.housekeeping();
        }
    }

    /** The server closed our session from elsewhere (management): treat it as a lost connection. */
    @Override
    public void closed(Session session, String reason) {
        run(() -> {
            ClientControl c = control;
            if (c != null && c.session() == session && !c.hasEnded()) {
                c.exit(reason);
                scheduleRetry();
            }
        });
    }

    private void run(Runnable r) {
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("OpenVPN client {}: control task failed", pid, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }


    /** Starts a renegotiation of the current connection now (management, tests). */
    public void renegotiate() {
        run(() -> {
            ClientControl c = control;
            if (c != null) {
                c.renegotiateNow();
            }
        });
    }

    /** The current connection (tests, status), or null. */
    public ClientControl control() {
        return control;
    }

    @Override
    public String toString() {
        return "ClientConnector[" + pid + ", " + settings + "]";
    }
}
