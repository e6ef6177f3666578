package org.tunnelbus.openvpn.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

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
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;
import org.tunnelbus.openvpn.internal.control.AuthToken;
import org.tunnelbus.openvpn.internal.data.KeepalivePing;
import org.tunnelbus.openvpn.internal.session.ControlExecutor;
import org.tunnelbus.openvpn.internal.session.ControlSession;
import org.tunnelbus.openvpn.internal.session.HandshakeServices;
import org.tunnelbus.openvpn.internal.session.ServerContext;
import org.tunnelbus.openvpn.internal.session.ShutdownStep;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * One OpenVPN 2.6 server socket, UDP or TCP (factory PID {@value ServerConfig#PID}, property {@code proto}).
 *
 * <pre>
 *  transport thread  ── received(batch) ──┬─ P_DATA_V2: session by peer-id (lock-free) ─┐
 *                                          ├─ P_DATA_V1: session by source address       ├─▶ bus INCOMING
 *                                          ├─ garbage: session null (decap counts it)    ┘
 *                                          └─ control: copied, packet released ──▶ control thread
 *  control thread (one per listener, bounded queue):
 *     unknown peer: HARD_RESET_CLIENT_V2 ─▶ HARD_RESET_SERVER_V2 (PeerAdmission: UDP stateless HMAC cookie
 *                   §2.5; TCP a session id kept per connection, no cookie, as stock)
 *                   follow-up echoing our session id ─▶ SessionRegistry.open + ControlSession
 *     known peer:   ControlSession.onDatagram (TLS, key method 2, auth, push, renegotiation)
 *     every 100 ms: retransmissions; every second: keepalive, ping-restart, hand-window, reneg-sec, float
 * </pre>
 *
 * <p>Sessions get the listener's {@link TransportLink} (which survives socket reopening), data keys go
 * into the session (see {@code ControlSession}); the data path itself is the four stages of
 * {@code internal.datapath}. A configuration change applies to new sessions; a new listen address or port
 * reopens the socket. TLS provider, authenticators and the configuration handshake are picked up live; a
 * missing one refuses new clients with one log line and existing sessions keep working. On deactivation
 * every connected UDP client is told {@code RESTART} (explicit-exit-notify), then its session is closed. On
 * TCP a session lives exactly as long as its connection (the transport reports closes by peer address).
 */
@Component(service = { SessionListener.class, CounterSource.class }, configurationPid = ServerConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ServerConfig.class, factory = true)
public final class ServerListener implements SessionListener, ServerContext, CounterSource {
    private static final Logger LOG = LoggerFactory.getLogger(ServerListener.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_CONTROL_QUEUE = 4096;
    private static final int TRANSPORT_BATCH = 64;
    private static final long TICK_MILLIS = 100;
    private static final int TICKS_PER_HOUSEKEEPING = 10;
    private static final long LOG_INTERVAL_MILLIS = 10_000;
    private static final int OUTGOING_AFTER_ROUTE = Box.ROUTE.order(Direction.OUTGOING) + 1;

    private final SessionRegistry registry;
    private final PacketBus bus;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    /** The HMAC key of auth-gen-token: one per listener instance, so a configuration change keeps tokens good. */
    private final byte[] authTokenKey = new byte[32];
    private volatile AuthToken authToken;
    private final ScheduledThreadPoolExecutor executor;
    private final AuthenticationWorker auth;
    private volatile Thread controlThread;
    private final TransportLinkSink link;
    private final ThreadLocal<PacketBatch> incoming = ThreadLocal.withInitial(() -> new PacketBatch(TRANSPORT_BATCH));
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final LogGate refusalGate = new LogGate(1000);
    private final LogGate controlErrorGate = new LogGate(LOG_INTERVAL_MILLIS);
    private final AtomicLong configGeneration = new AtomicLong();

    /** By peer address, for control packets and P_DATA_V1; written on the control thread. */
    private final Map<InetSocketAddress, ControlSession> byAddress = new ConcurrentHashMap<>();
    /** By {@link Session#id()}. */
    private final Map<Long, ControlSession> bySession = new ConcurrentHashMap<>();

    private final List<Registered<TlsEngineFactory>> tlsFactories = new CopyOnWriteArrayList<>();
    private final List<Registered<Authenticator>> authenticators = new CopyOnWriteArrayList<>();
    private final HandshakeServices handshakes = new HandshakeServices();
    private final List<Registered<TransportFactory>> transportFactories = new CopyOnWriteArrayList<>();

    private volatile String pid = ServerConfig.PID;
    private volatile ServerSettings settings;
    private volatile boolean active;
    // control thread only
    /** Read by the transport thread too (float rule), replaced on the control thread. */
    private volatile PeerAdmission admission;
    private Binding binding;
    private long ticks;
    private final ControlPacket packet = new ControlPacket();
    private final ByteBuffer plain = ByteBuffer.allocate(4096);
    private final ByteBuffer wire = ByteBuffer.allocate(4096);

    /** A service with the property the listener selects it by. */
    private record Registered<S>(S service, String name, int ranking) {
    }

    @Activate
    public ServerListener(@Reference SessionRegistry registry, @Reference PacketBus bus) {
        this(registry, bus, InstantSource.system());
    }

    /** For tests and embedding: an explicit clock. */
    public ServerListener(SessionRegistry registry, PacketBus bus, InstantSource clock) {
        this.registry = registry;
        this.bus = bus;
        this.clock = clock;
        random.nextBytes(authTokenKey);
        int n = THREADS.incrementAndGet();
        this.link = new TransportLinkSink("openvpn-" + n);
        this.executor = ControlExecutor.create("tunnelbus-openvpn-control-" + n, t -> controlThread = t);
        this.auth = new AuthenticationWorker("openvpn-" + n);
    }

    // =====================================================================================================
    // Lifecycle and configuration
    // =====================================================================================================

    @Activate
    public void activate(Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        pid = p == null ? ServerConfig.PID : p.toString();
        active = true;
        configure(properties, true);
        executor.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        configure(properties, false);
    }

    private void configure(Map<String, Object> properties, boolean first) {
        long generation = configGeneration.incrementAndGet();
        ServerSettings next;
        try {
            next = ServerSettings.from(properties);
        } catch (ServerSettings.Invalid e) {
            Object file = properties.get("felix.fileinstall.filename");
            String source = file == null ? "" : " (" + file + ")";
            if (e.onlyMissingFiles()) {
                // first start: the PKI module may still be writing the CA and the server certificate
                LOG.warn("OpenVPN server {}{}: {}; {} and retrying every second", pid, source, e.getMessage(),
                        settings == null ? "not listening yet" : "keeping the previous configuration");
                retryWhenFilesAppear(properties, generation);
                return;
            }
            LOG.error("Refused configuration {}{}: {}; {}", pid, source, e.getMessage(),
                    first || settings == null ? "the listener stays closed until a valid configuration arrives"
                            : "keeping the previous one");
            return;
        }
        next.notes().forEach(n -> LOG.info("OpenVPN server {}: {}", pid, n));
        runOnControlThread(() -> apply(next));
    }

    private void retryWhenFilesAppear(Map<String, Object> properties, long generation) {
        try {
            executor.schedule(() -> {
                if (!active || configGeneration.get() != generation) {
                    return; // stopped, or a newer configuration arrived
                }
                try {
                    ServerSettings next = ServerSettings.from(properties);
                    next.notes().forEach(n -> LOG.info("OpenVPN server {}: {}", pid, n));
                    apply(next);
                } catch (ServerSettings.Invalid e) {
                    if (e.onlyMissingFiles()) {
                        retryWhenFilesAppear(properties, generation);
                    } else {
                        LOG.error("Refused configuration {}: {}; keeping the previous one", pid, e.getMessage());
                    }
                }
            }, 1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void apply(ServerSettings next) {
        ServerSettings prev = settings;
        settings = next;
        authToken = next.authGenToken()
                ? new AuthToken(authTokenKey, next.authTokenRenewalSeconds(), next.authGenTokenLifetime()) : null;
        if (admission == null || !admission.fits(next)) {
            admission = next.proto().equals("tcp") ? new ConnectionAdmission(random)
                    : new CookieAdmission(random, next.handWindowSeconds());
        }
        LOG.info("OpenVPN server {}: {}{}", pid, next, prev == null ? "" : " (applies to new sessions)");
        if (prev == null || !prev.sameSocket(next) || binding == null) {
            reopen();
        }
    }

    @Deactivate
    public void deactivate() {
        active = false;
        ShutdownStep.run(executor, "OpenVPN server " + pid, () -> {
            PeerAdmission a = admission;
            if (a != null && !a.notifiesExit()) {
                return; // TCP: the closing connection tells the client, as stock does
            }
            int n = 0;
            for (ControlSession cs : bySession.values()) {
                if (cs.isConnected()) {
                    cs.sendRestart();
                    n++;
                }
            }
            if (n > 0) {
                LOG.info("OpenVPN server {} stopping: told {} client(s) to reconnect (RESTART)", pid, n);
            }
        });
        ShutdownStep.run(executor, "OpenVPN server " + pid, () -> {
            for (ControlSession cs : new ArrayList<>(bySession.values())) {
                cs.close("server stopping");
            }
            closeTransport();
        });
        auth.shutdown();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("OpenVPN server {} stopped; counters {}", pid, counters());
    }


    private void runOnControlThread(Runnable r) {
        if (Thread.currentThread() == controlThread) {
            r.run();
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("OpenVPN server {}: control task failed", pid, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    // =====================================================================================================
    // Services (dynamic: picked up live, new sessions use what is there)
    // =====================================================================================================

    /** Every socket module; the listener opens the one of its {@code proto} (highest ranking). */
    @Reference(service = TransportFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTransportFactory(TransportFactory factory, Map<String, Object> properties) {
        transportFactories.add(new Registered<>(factory, string(properties.get(TransportFactory.PROTOCOL)),
                ranking(properties)));
        if (active) {
            runOnControlThread(() -> {
                if (binding == null) {
                    reopen();
                }
            });
        }
    }

    void unbindTransportFactory(TransportFactory factory) {
        // the factory closes its sockets itself; we reopen with its successor
        transportFactories.removeIf(r -> r.service() == factory);
    }

    private TransportFactory transportFactory(String protocol) {
        return transportFactories.stream().filter(r -> r.name().equals(protocol))
                .max(Comparator.comparingInt(Registered::ranking)).map(Registered::service).orElse(null);
    }

    @Reference(service = TlsEngineFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTlsEngineFactory(TlsEngineFactory factory, Map<String, Object> properties) {
        tlsFactories.add(new Registered<>(factory, string(properties.get(TlsEngineFactory.PROVIDER)),
                ranking(properties)));
    }

    void unbindTlsEngineFactory(TlsEngineFactory factory) {
        tlsFactories.removeIf(r -> r.service() == factory);
    }

    @Reference(service = Authenticator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(Authenticator authenticator, Map<String, Object> properties) {
        authenticators.add(new Registered<>(authenticator, string(properties.get(Authenticator.SCHEME)),
                ranking(properties)));
    }

    void unbindAuthenticator(Authenticator authenticator) {
        authenticators.removeIf(r -> r.service() == authenticator);
    }

    /** Every mode's handshake: the one of {@code handshake.mode} is used per new client (a missing one refuses it). */
    @Reference(service = ConfigHandshake.class, target = "(" + ConfigHandshake.MODE + "=*)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.bind(h, properties);
    }

    void unbindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        handshakes.unbind(h, properties);
    }

    private static String string(Object o) {
        return o instanceof String[] a ? (a.length == 0 ? "" : a[0]) : o == null ? "" : o.toString();
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    // =====================================================================================================
    // The socket
    // =====================================================================================================

    /** One opened transport and its parent callbacks; a close we did not ask for reopens the socket. */
    private final class Binding implements TransportListener {
        volatile Transport transport;

        @Override
        public PacketAllocator allocator() {
            return bus.allocator();
        }

        @Override
        public void received(PacketBatch batch) {
            ServerListener.this.received(batch);
        }

        @Override
        public void connected(InetSocketAddress remote) {
            long now = clock.instant().getEpochSecond();
            runOnControlThread(() -> {
                PeerAdmission a = admission;
                if (a != null) {
                    a.connectionOpened(remote, now);
                }
            });
        }

        @Override
        public void closed(InetSocketAddress remote, String reason) {
            if (remote != null) {
                runOnControlThread(() -> connectionClosed(remote, reason));
                return;
            }
            runOnControlThread(() -> {
                if (binding != this) {
                    return; // we closed it ourselves
                }
                binding = null;
                link.transport(null);
                if (active) {
                    LOG.warn("OpenVPN server {}: socket closed ({}); it reopens when a {} transport is available",
                            pid, reason, settings == null ? "" : settings.proto());
                    executor.schedule(() -> runOnControlThread(ServerListener.this::reopen), 1, TimeUnit.SECONDS);
                }
            });
        }
    }

    /** A peer's connection ended (stream transports, control thread): its session ends with it. */
    private void connectionClosed(InetSocketAddress remote, String reason) {
        PeerAdmission a = admission;
        if (a != null) {
            a.connectionClosed(remote);
        }
        ControlSession cs = byAddress.get(remote);
        if (cs != null) {
            cs.close("connection closed: " + reason);
        }
    }

    /** (Re)binds the socket (control thread). */
    private void reopen() {
        if (!active) {
            return;
        }
        ServerSettings s = settings;
        if (s == null) {
            return;
        }
        TransportFactory f = transportFactory(s.proto());
        closeTransport();
        if (f == null) {
            LOG.info("OpenVPN server {}: waiting for a {} transport (tunnelbus.transport.protocol={}) to listen on {}",
                    pid, s.proto().toUpperCase(java.util.Locale.ROOT), s.proto(), ServerSettings.format(s.listen()));
            return;
        }
        Binding b = new Binding();
        try {
            b.transport = f.open(new TransportSpec(s.listen(), null, TRANSPORT_BATCH, 0, 0), b);
        } catch (IOException | RuntimeException e) {
            LOG.error("OpenVPN server {}: cannot listen (properties 'listen'/'port'): {}", pid, e.getMessage());
            return;
        }
        binding = b;
        link.transport(b.transport);
        LOG.info("OpenVPN server {} listening on {} {}", pid, s.proto(), ServerSettings.format(b.transport.localAddress()));
    }

    private void closeTransport() {
        Binding b = binding;
        binding = null;
        link.transport(null);
        if (b != null && b.transport != null) {
            b.transport.close();
        }
    }

    /** The bound address (port 0 resolved), or null while closed. */
    public InetSocketAddress localAddress() {
        Binding b = binding;
        return b == null || b.transport == null ? null : b.transport.localAddress();
    }

    // =====================================================================================================
    // Receiving (transport thread): classify, data to the bus, control to the control thread
    // =====================================================================================================

    void received(PacketBatch batch) {
        PacketBatch data = incoming.get();
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            Packet p = batch.get(i);
            if (p == null) {
                continue;
            }
            int length = p.length();
            int opcode = length > 0 ? (p.get(0) & 0xFF) >>> HeaderByte.OPCODE_SHIFT : -1;
            if (opcode == Opcode.DATA_V2.value()) {
                Session s = length >= 4 ? registry.byPeerId(p.buffer().getInt(p.offset()) & 0xFFFFFF) : null;
                p.session(s != null && s.get(TransportLink.KEY) == link && mayCome(s, p.address()) ? s : null);
            } else if (opcode == Opcode.DATA_V1.value()) {
                ControlSession cs = byAddress.get(p.address());
                p.session(cs == null ? null : cs.session());
            } else if (opcode > 0 && Opcode.ofValue(opcode) != null) {
                control(p);
                continue;
            } else {
                p.session(null); // the decapsulation stage drops and counts it (not-data, too-short)
            }
            data.add(p);
            if (data.isFull()) {
                bus.submit(Direction.INCOMING, data);
            }
        }
        batch.clear();
        if (!data.isEmpty()) {
            bus.submit(Direction.INCOMING, data);
        }
    }

    /** On TCP a session's packets come over its own connection only (no float); on UDP from anywhere. */
    private boolean mayCome(Session s, InetSocketAddress from) {
        PeerAdmission a = admission;
        return a == null || a.floats() || from.equals(s.remote());
    }

    private void control(Packet p) {
        InetSocketAddress from = p.address();
        byte[] datagram = new byte[p.length()];
        p.buffer().get(p.offset(), datagram);
        p.release();
        if (queued.incrementAndGet() > MAX_CONTROL_QUEUE) {
            queued.decrementAndGet();
            count("drop.control-queue-full");
            return;
        }
        try {
            executor.execute(() -> {
                queued.decrementAndGet();
                handleControl(from, datagram);
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
        }
    }

    /** One control datagram (control thread). Never throws. */
    void handleControl(InetSocketAddress from, byte[] datagram) {
        try {
            DropReason bad = dispatch(from, ByteBuffer.wrap(datagram));
            if (bad != null) {
                count("drop." + bad.counterName());
            }
        } catch (RuntimeException e) { // parsers report bad input as a DropReason: this is a bug, show it
            count("drop.control-error");
            if (controlErrorGate.permit() >= 0) {
                LOG.warn("OpenVPN server {}: a control packet from {} failed; it was dropped", pid,
                        ServerSettings.format(from), e);
            }
        }
    }

    private DropReason dispatch(InetSocketAddress from, ByteBuffer datagram) {
        count("control.in");
        if (datagram.remaining() < ControlPacketCodec.HEADER_LENGTH + 1) {
            return DropReason.TOO_SHORT;
        }
        long sid = datagram.getLong(1);
        ControlSession known = byAddress.get(from);
        if (known != null && sid == known.peerSessionId()) {
            return known.onDatagram(datagram);
        }
        ServerSettings s = settings;
        if (s == null || !active) {
            return DropReason.UNKNOWN_SESSION;
        }
        long now = clock.instant().getEpochSecond();
        plain.clear();
        DropReason bad = s.controlWrapper().unwrap(datagram, plain, null, now);
        if (bad != null) {
            if (bad == DropReason.AUTHENTICATION_FAILED) { // stock: "tls-crypt unwrapping failed from ..."
                refusalLog("Dropped control packet from {}: {} authentication failed (the client has another key); "
                        + "no answer sent, no state kept", from, s.wrapping() == ServerSettings.Wrapping.TLS_CRYPT
                                ? "tls-crypt" : "tls-auth");
            }
            return bad;
        }
        plain.flip();
        bad = ControlPacketCodec.parse(plain, packet);
        if (bad != null) {
            return bad;
        }
        Opcode op = packet.opcode();
        PeerAdmission a = admission;
        if (op == Opcode.HARD_RESET_CLIENT_V2) {
            return answerReset(s, a, from, now);
        }
        if (op == Opcode.HARD_RESET_CLIENT_V3) {
            count("drop.tls-crypt-v2-unsupported");
            return null;
        }
        bad = a.checkFollowUp(packet, from, now);
        if (bad != null) {
            return bad;
        }
        return newSession(s, from, known);
    }

    /** The answer to a client's reset: UDP statelessly with the HMAC cookie (§2.5), TCP per connection. */
    private DropReason answerReset(ServerSettings s, PeerAdmission a, InetSocketAddress from, long now) {
        if (packet.keyId() != 0 || packet.messageId() != 0) {
            return DropReason.RESET_WITH_NONZERO_MESSAGE_ID;
        }
        if (bySession.size() >= s.maxClients()) {
            refusalLog("Refused client from {}: max-clients ({}) reached", from, s.maxClients());
            count("drop.max-clients");
            return null;
        }
        a.fillReset(packet, from, packet.sessionId(), now);
        plain.clear();
        ControlPacketCodec.write(packet, plain);
        plain.flip();
        wire.clear();
        s.controlWrapper().wrap(plain, wire, PacketIdCounter.longForm(), now); // replay id 1, as stock
        wire.flip();
        transmit(from, wire);
        count("control.reset-answered");
        return null;
    }

    private DropReason newSession(ServerSettings s, InetSocketAddress from, ControlSession previous) {
        long ownSid = packet.peerSessionId();
        long clientSid = packet.sessionId();
        if (previous != null) {
            previous.close("client reconnected with a new session");
        }
        if (bySession.size() >= s.maxClients()) {
            refusalLog("Refused client from {}: max-clients ({}) reached", from, s.maxClients());
            count("drop.max-clients");
            return null;
        }
        Session session;
        try {
            session = registry.open(from);
        } catch (IllegalStateException e) {
            refusalLog("Refused client from {}: {}", from, e.getMessage());
            count("drop.no-session");
            return null;
        }
        session.set(TransportLink.KEY, link);
        ControlSession cs;
        try {
            cs = new ControlSession(this, s, session, from, ownSid, clientSid);
        } catch (RuntimeException e) {
            registry.close(session, "refused: " + e.getMessage());
            throw e;
        }
        bySession.put(session.id(), cs);
        byAddress.put(from, cs);
        String refusal = cs.start();
        if (refusal != null) {
            refusalLog("Refused client from {}: {}", from, refusal);
            cs.close("refused: " + refusal);
            return null;
        }
        count("sessions.opened");
        return cs.receive(packet);
    }

    /** At most one refusal line per second, so a flood cannot fill the log; the next line says how many were not. */
    private void refusalLog(String format, Object... args) {
        long skipped = refusalGate.permit();
        if (skipped < 0) {
            return;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof InetSocketAddress a) {
                args[i] = ServerSettings.format(a); // 10.0.0.1:1194, as the session lines write it
            }
        }
        LOG.info(skipped == 0 ? format : format + " (" + skipped + " more refusals not logged since the last line)", args);
    }

    // =====================================================================================================
    // Timers (control thread)
    // =====================================================================================================

    private void tick() {
        boolean housekeeping = ++ticks % TICKS_PER_HOUSEKEEPING == 0;
        if (housekeeping) {
            closeConnectionsWithoutSession();
        }
        for (ControlSession cs : bySession.values()) {
            try {
                cs.tick();
                if (housekeeping) {
                    cs.housekeeping();
                }
            } catch (RuntimeException e) {
                count("drop.control-error");
                LOG.warn("OpenVPN server {}: timer of {} failed; closing it", pid, cs, e);
                cs.close("internal error: " + e);
            }
        }
    }

    /** Stream transports: a connection with no session after the hand window is closed (pre-session flood). */
    private void closeConnectionsWithoutSession() {
        PeerAdmission a = admission;
        ServerSettings s = settings;
        Binding b = binding;
        if (a == null || s == null || b == null || b.transport == null) {
            return;
        }
        for (InetSocketAddress remote : a.overdue(clock.instant().getEpochSecond(), s.handWindowSeconds())) {
            if (!byAddress.containsKey(remote)) {
                count("drop.connection-without-session");
                b.transport.disconnect(remote, "no OpenVPN session within hand-window (" + s.handWindowSeconds() + " s)");
            }
        }
    }

    // =====================================================================================================
    // SessionListener: a session closed by anyone (OCC_EXIT on the data path, management, ...)
    // =====================================================================================================

    @Override
    public void closed(Session session, String reason) {
        ControlSession cs = bySession.get(session.id());
        if (cs != null) {
            runOnControlThread(() -> cs.finish(reason));
        }
    }

    // =====================================================================================================
    // ServerContext
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
    public void transmit(InetSocketAddress to, ByteBuffer datagram) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            count("drop.control-pool-empty");
            return;
        }
        int n = datagram.remaining();
        if (n > bus.allocator().capacity()) {
            p.release();
            count("drop.control-too-big");
            return;
        }
        p.put(datagram.array(), datagram.arrayOffset() + datagram.position(), n);
        p.address(to);
        link.accept(p);
        link.flush();
        count("control.out");
    }

    @Override
    public TlsChoice tlsChoice() {
        ServerSettings s = settings;
        if (s == null) {
            return null;
        }
        return tlsFactories.stream().filter(r -> r.name().equals(s.tlsProvider()))
                .max(Comparator.comparingInt(Registered::ranking))
                .map(r -> new TlsChoice(r.name(), r.service())).orElse(null);
    }

    @Override
    public boolean isAvailable(TlsEngineFactory factory) {
        return tlsFactories.stream().anyMatch(r -> r.service() == factory);
    }

    @Override
    public void authenticate(Credentials credentials, Consumer<AuthResult> then) {
        auth.submit(() -> authenticateNow(credentials), then, this::runOnControlThread);
    }

    /** Every authenticator, in turn (on an {@link AuthenticationWorker} thread). */
    AuthResult authenticateNow(Credentials credentials) {
        ServerSettings s = settings;
        Set<String> present = new HashSet<>();
        authenticators.forEach(a -> present.add(a.name()));
        for (String required : s == null ? Set.<String>of() : s.requiredSchemes()) {
            if (!present.contains(required)) {
                return AuthResult.refuse("authentication scheme '" + required + "' is required (auth.required) but no "
                        + "such Authenticator is running");
            }
        }
        ClientCertPolicy policy = s == null ? ClientCertPolicy.REQUIRE : s.clientCert();
        boolean chainPresent = !credentials.chain().isEmpty();
        boolean otherAccepted = false;
        String identity = "";
        for (Registered<Authenticator> a : authenticators) {
            if (!policy.consults(a.name(), chainPresent)) {
                continue;
            }
            AuthResult r;
            try {
                r = a.service().authenticate(credentials);
            } catch (RuntimeException e) {
                return AuthResult.refuse(a.name() + " authenticator failed: " + e);
            }
            if (r == null || !r.accepted()) {
                return AuthResult.refuse(a.name() + ": " + (r == null ? "no answer" : r.reason()));
            }
            otherAccepted |= !ClientCertPolicy.CERT_SCHEME.equals(a.name());
            if (identity.isEmpty() && r.identity() != null) {
                identity = r.identity();
            }
        }
        if (!chainPresent && !otherAccepted) {
            // stock refuses to start with verify-client-cert none|optional and no other authentication
            return AuthResult.refuse("no client certificate, and no other authenticator (e.g. auth-userpass) accepted "
                    + "the client (verify.client.cert=" + policy.optionValue() + ")");
        }
        return AuthResult.accept(identity);
    }

    @Override
    public AuthToken authToken() {
        return authToken;
    }

    @Override
    public ConfigHandshake handshake(String mode) {
        return handshakes.get(mode);
    }

    @Override
    public SessionRegistry registry() {
        return registry;
    }

    @Override
    public void sendPing(Session session) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            count("drop.ping-pool-empty");
            return;
        }
        KeepalivePing.write(p.buffer(), p.offset());
        p.setLength(KeepalivePing.LENGTH);
        p.session(session);
        // not an IP packet: it enters after routing, as stock encrypts pings straight away
        bus.inject(Direction.OUTGOING, p, OUTGOING_AFTER_ROUTE);
        count("keepalive.sent");
    }

    @Override
    public void moved(ControlSession session, InetSocketAddress from, InetSocketAddress to) {
        byAddress.remove(from, session);
        byAddress.put(to, session);
    }

    @Override
    public void ended(ControlSession session) {
        bySession.remove(session.session().id(), session);
        byAddress.remove(session.remote(), session);
        count("sessions.closed");
        PeerAdmission a = admission;
        Transport t = link.transport();
        if (a != null && a.sessionOwnsConnection() && t != null) {
            t.disconnect(session.remote(), "session ended"); // as stock closes a TCP client's socket with its instance
        }
    }

    // =====================================================================================================
    // Status
    // =====================================================================================================

    private void count(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** {@code openvpn.NAME}: NAME is the factory configuration's name ({@code default} for {@code ...server~default}). */
    @Override
    public String name() {
        String p = pid;
        int tilde = p.indexOf('~');
        return "openvpn." + (tilde < 0 ? "server" : p.substring(tilde + 1));
    }

    /**
     * A snapshot of the listener's counters (control packets, drops by reason, sessions), of the link its
     * sessions send through, and of the open transport's socket ({@code transport.*}).
     */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        m.put("link.drop.no-transport", link.noTransport());
        m.put("link.drop.send-error", link.sendErrors());
        Transport t = link.transport();
        if (t != null) {
            t.counters().forEach((k, v) -> m.put("transport." + k, v));
        }
        return m;
    }

    /** The control sessions alive now (tests, status). */
    public List<ControlSession> controlSessions() {
        return List.copyOf(bySession.values());
    }

    @Override
    public String toString() {
        return "ServerListener[" + pid + ", " + settings + "]";
    }
}
