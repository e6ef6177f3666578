package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.channel.Outcome;
import org.tunnelbus.openvpn.internal.control.AuthToken;
import org.tunnelbus.openvpn.internal.link.ControlInbox;
import org.tunnelbus.openvpn.internal.link.ControlThread;
import org.tunnelbus.openvpn.internal.link.PacketDemux;
import org.tunnelbus.openvpn.internal.link.TransportLinkSink;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * One OpenVPN 2.6 server socket, UDP or TCP (factory PID {@value ServerConfig#PID}, property {@code proto}).
 *
 * <pre>
 *  transport thread ──▶ {@link PacketDemux}: data to the bus by peer-id / address; control ──▶ control thread
 *  control thread (one per listener, 4096 queued at most):
 *     known peer:   its {@link ControlChannel} (TLS, key method 2, auth, push, renegotiation: {@link ServerRole})
 *     unknown peer: {@link Admission} (stateless reset answer, follow-up, new session)
 *     every 100 ms: retransmissions, keepalive; every second: hand-window, reneg-sec/-bytes, float, updates
 * </pre>
 *
 * <p>A configuration change applies to new sessions; a new listen address or port reopens the socket
 * ({@link ListenerSocket}). TLS provider, authenticators and the configuration handshake are picked up live
 * ({@link ListenerContext}); a missing one refuses new clients with one log line and existing sessions keep working.
 * On deactivation every connected UDP client is told {@code RESTART} (explicit-exit-notify), then its session is
 * closed. On TCP a session lives exactly as long as its connection.
 */
@Component(service = { SessionListener.class, CounterSource.class }, configurationPid = ServerConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ServerConfig.class, factory = true)
public final class ServerListener implements SessionListener, CounterSource, ListenerSocket.Connections {
    private static final Logger LOG = LoggerFactory.getLogger(ServerListener.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_CONTROL_QUEUE = 4096;
    private static final long LOG_INTERVAL_MILLIS = 10_000;

    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    /** The HMAC key of auth-gen-token: one per listener instance, so a configuration change keeps tokens good. */
    private final byte[] authTokenKey = new byte[32];
    private final ControlThread control;
    private final TransportLinkSink link;
    private final ListenerCounters counters = new ListenerCounters();
    private final LogGate controlErrorGate = new LogGate(LOG_INTERVAL_MILLIS);
    private final AtomicLong configGeneration = new AtomicLong();
    private final ServerChannels channels;
    private final ListenerContext ctx;
    private final Admission admission;
    private final ListenerSocket socket;

    private volatile String pid = ServerConfig.PID;
    private volatile ServerSettings settings;
    private volatile boolean active;
    /** Read by the transport thread too (float rule), replaced on the control thread. */
    private volatile TransportAdmission transportAdmission;

    @Activate
    public ServerListener(@Reference SessionRegistry registry, @Reference PacketBus bus) {
        this(registry, bus, InstantSource.system());
    }

    /** For tests and embedding: an explicit clock. */
    public ServerListener(SessionRegistry registry, PacketBus bus, InstantSource clock) {
        this.clock = clock;
        random.nextBytes(authTokenKey);
        int n = THREADS.incrementAndGet();
        this.link = new TransportLinkSink("openvpn-" + n);
        this.control = new ControlThread("tunnelbus-openvpn-control-" + n, () -> "OpenVPN server " + pid);
        this.channels = new ServerChannels(registry, link, () -> {
            TransportAdmission a = transportAdmission;
            return a == null || a.floats();
        });
        this.ctx = new ListenerContext(new ListenerContext.Listener(clock, random, registry, bus, link, channels, counters,
                () -> settings, () -> transportAdmission, control::run), "openvpn-" + n);
        this.admission = new Admission(ctx, registry, link, channels, counters);
        this.socket = new ListenerSocket(() -> pid, bus.allocator(), link, this, control::run);
        socket.demux(new PacketDemux(bus, channels, new ControlInbox(MAX_CONTROL_QUEUE, control, this::handleControl,
                () -> counters.count("drop.control-queue-full"))));
    }

    // ---- Lifecycle and configuration ----

    @Activate
    public void activate(Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        pid = p == null ? ServerConfig.PID : p.toString();
        active = true;
        configure(properties, true);
        control.ticks(() -> eachChannel(ControlChannel::tick), this::housekeeping);
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
        control.run(() -> apply(next));
    }

    private void retryWhenFilesAppear(Map<String, Object> properties, long generation) {
        control.after(1000, () -> {
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
        });
    }

    private void apply(ServerSettings next) {
        ServerSettings prev = settings;
        settings = next;
        ctx.authToken(next.authGenToken()
                ? new AuthToken(authTokenKey, next.authTokenRenewalSeconds(), next.authGenTokenLifetime()) : null);
        if (transportAdmission == null || !transportAdmission.fits(next)) {
            transportAdmission = next.proto().equals("tcp") ? new ConnectionAdmission(random)
                    : new CookieAdmission(random, next.handWindowSeconds());
        }
        LOG.info("OpenVPN server {}: {}{}", pid, next, prev == null ? "" : " (applies to new sessions)");
        if (prev == null || !prev.sameSocket(next) || !socket.isOpen()) {
            reopen();
        }
    }

    private void reopen() {
        if (active && settings != null) {
            socket.open(settings);
        }
    }

    @Deactivate
    public void deactivate() {
        active = false;
        control.step(this::tellClientsToReconnect);
        control.step(() -> {
            for (ControlChannel c : channels.all()) {
                c.end(Outcome.HALT, "server stopping");
            }
            socket.close();
        });
        ctx.authentication.shutdown();
        control.stop();
        LOG.info("OpenVPN server {} stopped; counters {}", pid, counters());
    }

    /** UDP: explicit-exit-notify; TCP: the closing connection tells the client, as stock does. */
    private void tellClientsToReconnect() {
        TransportAdmission a = transportAdmission;
        if (a != null && !a.notifiesExit()) {
            return;
        }
        int n = 0;
        for (ControlChannel c : channels.all()) {
            if (c.isUp() && c.sendControlMessage("RESTART")) {
                n++;
            }
        }
        if (n > 0) {
            LOG.info("OpenVPN server {} stopping: told {} client(s) to reconnect (RESTART)", pid, n);
        }
    }

    // ---- Services (dynamic: picked up live, new sessions use what is there) ----

    /** Every socket module; the listener opens the one of its {@code proto} (highest ranking). */
    @Reference(service = TransportFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTransportFactory(TransportFactory factory, Map<String, Object> properties) {
        socket.bind(factory, properties);
        if (active) {
            control.run(() -> {
                if (!socket.isOpen()) {
                    reopen();
                }
            });
        }
    }

    void unbindTransportFactory(TransportFactory factory) {
        socket.unbind(factory);
    }

    @Reference(service = TlsEngineFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindTlsEngineFactory(TlsEngineFactory factory, Map<String, Object> properties) {
        ctx.tlsFactories.bind(factory, properties);
    }

    void unbindTlsEngineFactory(TlsEngineFactory factory) {
        ctx.tlsFactories.unbind(factory);
    }

    @Reference(service = Authenticator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(Authenticator authenticator, Map<String, Object> properties) {
        ctx.authentication.bind(authenticator, properties);
    }

    void unbindAuthenticator(Authenticator authenticator) {
        ctx.authentication.unbind(authenticator);
    }

    /** Every mode's handshake: the one of {@code handshake.mode} is used per new client (a missing one refuses it). */
    @Reference(service = ConfigHandshake.class, target = "(" + ConfigHandshake.MODE + "=*)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        ctx.handshakes.bind(h, properties);
    }

    void unbindConfigHandshake(ConfigHandshake h, Map<String, Object> properties) {
        ctx.handshakes.unbind(h);
    }

    /** Every authenticator, in turn, on the calling thread (tests). */
    AuthResult authenticateNow(Credentials credentials) {
        return ctx.authentication.check(credentials, settings);
    }

    // ---- Connections of stream transports, and the socket (control thread) ----

    @Override
    public void connectionOpened(InetSocketAddress remote) {
        TransportAdmission a = transportAdmission;
        if (a != null) {
            a.connectionOpened(remote, clock.instant().getEpochSecond());
        }
    }

    /** A peer's connection ended: its session ends with it. */
    @Override
    public void connectionClosed(InetSocketAddress remote, String reason) {
        TransportAdmission a = transportAdmission;
        if (a != null) {
            a.connectionClosed(remote);
        }
        ControlChannel c = channels.at(remote);
        if (c != null) {
            c.end(Outcome.HALT, "connection closed: " + reason);
        }
    }

    @Override
    public void socketLost(String reason) {
        if (active) {
            LOG.warn("OpenVPN server {}: socket closed ({}); it reopens when a {} transport is available", pid, reason,
                    settings == null ? "" : settings.proto());
            control.after(1000, this::reopen);
        }
    }

    /** The bound address (port 0 resolved), or null while closed. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    // ---- Control packets (control thread) ----

    /** One control datagram. Never throws. */
    void handleControl(InetSocketAddress from, byte[] datagram) {
        try {
            DropReason bad = dispatch(from, ByteBuffer.wrap(datagram));
            if (bad != null) {
                counters.count("drop." + bad.counterName());
            }
        } catch (RuntimeException e) { // parsers report bad input as a DropReason: this is a bug, show it
            counters.count("drop.control-error");
            if (controlErrorGate.permit() >= 0) {
                LOG.warn("OpenVPN server {}: a control packet from {} failed; it was dropped", pid,
                        ServerSettings.format(from), e);
            }
        }
    }

    private DropReason dispatch(InetSocketAddress from, ByteBuffer datagram) {
        counters.count("control.in");
        if (datagram.remaining() < ControlPacketCodec.HEADER_LENGTH + 1) {
            return DropReason.TOO_SHORT;
        }
        long sid = datagram.getLong(1);
        ControlChannel known = channels.at(from);
        if (known != null && sid == known.peerSessionId()) {
            return known.onDatagram(datagram);
        }
        ServerSettings s = settings;
        if (s == null || !active) {
            return DropReason.UNKNOWN_SESSION;
        }
        return admission.admit(s, transportAdmission, from, datagram, known);
    }

    // ---- Timers (control thread) ----

    private void housekeeping() {
        closeConnectionsWithoutSession();
        eachChannel(ControlChannel::housekeeping);
    }

    /** A channel whose timer fails is closed, the others go on. */
    private void eachChannel(Consumer<ControlChannel> timer) {
        for (ControlChannel c : channels.all()) {
            try {
                timer.accept(c);
            } catch (RuntimeException e) {
                counters.count("drop.control-error");
                LOG.warn("OpenVPN server {}: timer of {} failed; closing it", pid, c, e);
                c.end(Outcome.HALT, "internal error: " + e);
            }
        }
    }

    /** Stream transports: a connection with no session after the hand window is closed (pre-session flood). */
    private void closeConnectionsWithoutSession() {
        TransportAdmission a = transportAdmission;
        ServerSettings s = settings;
        Transport t = socket.transport();
        if (a == null || s == null || t == null) {
            return;
        }
        for (InetSocketAddress remote : a.overdue(clock.instant().getEpochSecond(), s.handWindowSeconds())) {
            if (channels.at(remote) == null) {
                counters.count("drop.connection-without-session");
                t.disconnect(remote, "no OpenVPN session within hand-window (" + s.handWindowSeconds() + " s)");
            }
        }
    }

    // ---- SessionListener: a session closed by anyone (OCC_EXIT on the data path, management, ...) ----

    @Override
    public void closed(Session session, String reason) {
        ControlChannel c = channels.of(session);
        if (c != null) {
            control.run(() -> c.end(Outcome.HALT, reason));
        }
    }

    // ---- Status ----

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
        Map<String, Long> m = counters.snapshot();
        m.put("link.drop.no-transport", link.noTransport());
        m.put("link.drop.send-error", link.sendErrors());
        Transport t = link.transport();
        if (t != null) {
            t.counters().forEach((k, v) -> m.put("transport." + k, v));
        }
        return m;
    }

    /** The control channels alive now (tests, status). */
    public List<ControlChannel> controlChannels() {
        return List.copyOf(channels.all());
    }

    @Override
    public String toString() {
        return "ServerListener[" + pid + ", " + settings + "]";
    }
}
