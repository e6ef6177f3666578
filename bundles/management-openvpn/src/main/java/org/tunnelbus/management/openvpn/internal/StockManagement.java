package org.tunnelbus.management.openvpn.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;

/**
 * Stock OpenVPN 2.6's management interface ({@code --management}) for this instance: the tools written for it
 * (status pages, monitors, scripts) work unchanged. A unix socket (mode 0600) through jnr-unixsocket and, when
 * configured, loopback TCP with a password file. Session data comes from the {@link SessionRegistry}; the
 * {@code >CLIENT:} notifications from the registry's {@link SessionListener} calls.
 *
 * <p>A configuration change restarts the endpoints (management clients reconnect); a bad one is refused naming
 * the property, and the last good one stays.
 */
@Component(service = SessionListener.class, configurationPid = StockManagementConfig.PID, immediate = true)
@Designate(ocd = StockManagementConfig.class)
public final class StockManagement implements SessionListener, Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(StockManagement.class);

    private final SessionRegistry registry;
    private final BundleContext context;
    private final Instant started = Instant.now();
    private final ClientEnv.Daemon envDaemon = new ClientEnv.Daemon(ProcessHandle.current().pid(), started);
    private final Map<Long, Instant> established = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final String title;
    private final Commands commands = new Commands(this);
    private final History state = new History(100);
    private final History echo = new History(100);
    private final LogFeed logFeed;
    private volatile History log;
    private volatile Connections connections;
    private volatile boolean hold;
    private final ConnectedState connected = new ConnectedState(state);
    private final ConfigurationAdmin admin;
    private long ticks;

    @Activate
    public StockManagement(@Reference SessionRegistry registry, @Reference ConfigurationAdmin admin, BundleContext context,
            StockManagementConfig config) {
        this.registry = registry;
        this.admin = admin;
        this.context = context;
        this.title = "OpenVPN 2.6 (Tunnelbus " + context.getBundle().getVersion() + ") Java "
                + Runtime.version().feature() + " [AEAD]";
        StockManagementSettings settings = settings(config, "starting with the defaults");
        if (settings == null) {
            settings = settings(Defaults.CONFIG, "");
        }
        this.log = newLog(settings.logCache());
        this.logFeed = new LogFeed(() -> log);
        state.add(new History.Entry(Instant.now().getEpochSecond(), "CONNECTING,,,,,,"));
        state.listen(e -> notifyAll(ConnectionState::state, List.of(">STATE:" + e.line())));
        echo.listen(e -> notifyAll(ConnectionState::echo, List.of(">ECHO:" + e.line())));
        this.connections = open(settings);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelbus-openvpn-management-bytecount");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The server's tunnel device: its address (from its configuration) for the state history. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(PacketDevice device, Map<String, Object> properties) {
        connected.device(LocalAddress.tunnel(admin, properties.get(LocalAddress.DEVICE_PID)));
    }

    void unbindDevice(PacketDevice device) {
        // the history keeps what happened
    }

    /** An OpenVPN listener: its local address and port for the state history (stock: --local, --port). */
    @Reference(service = CounterSource.class, target = "(service.factoryPid=" + LocalAddress.LISTENER_FACTORY_PID + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindListener(CounterSource listener, Map<String, Object> properties) {
        connected.listener(String.valueOf(properties.getOrDefault("listen", "")), String.valueOf(properties.getOrDefault("port", "")));
    }

    void unbindListener(CounterSource listener) {
        // the history keeps what happened
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLogReader(LogReaderService reader) {
        logFeed.attach(reader);
    }

    void unbindLogReader(LogReaderService reader) {
        logFeed.detach();
    }

    private History newLog(int cache) {
        History h = new History(cache);
        h.listen(e -> notifyAll(ConnectionState::log, List.of(">LOG:" + e.line())));
        return h;
    }

    /** A bad configuration is refused with one line naming the property; null then. */
    private StockManagementSettings settings(StockManagementConfig config, String consequence) {
        try {
            return StockManagementSettings.of(config, context.getProperty("tunnelbus.home"));
        } catch (StockManagementSettings.InvalidSettingException e) {
            LOG.error("Refused configuration {}: {}; {}", StockManagementConfig.PID, e.getMessage(), consequence);
            return null;
        }
    }

    /** A good new configuration reopens the endpoints (clients reconnect); a bad one keeps the running ones. */
    @Modified
    void modified(StockManagementConfig config) {
        StockManagementSettings s = settings(config, "keeping the last good configuration");
        if (s == null) {
            return;
        }
        Connections old = connections;
        if (old != null) {
            old.close();
        }
        log = newLog(s.logCache());
        connections = open(s);
    }

    private Connections open(StockManagementSettings s) {
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            if (s.socket() != null) {
                endpoints.add(new UnixEndpoint(s.socket()));
            }
            if (s.tcpAddress() != null) {
                endpoints.add(new TcpEndpoint(s.tcpAddress(), s.tcpPort()));
            }
        } catch (IOException e) {
            endpoints.forEach(ep -> {
                try {
                    ep.close();
                } catch (IOException ignored) {
                    // closing after a failed open
                }
            });
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("OpenVPN management interface on {} ({})", endpoints.stream().map(Endpoint::describe).toList(), s);
        return new Connections(commands, s.password(), s.maxClients(), endpoints);
    }

    private void notifyAll(java.util.function.Predicate<ConnectionState> wants, List<String> lines) {
        Connections c = connections;
        if (c != null) {
            c.notify(wants, lines);
        }
    }

    // ---- bytecount ------------------------------------------------------------------------------------

    private void tick() {
        try {
            long t = ++ticks;
            Connections c = connections;
            if (c == null) {
                return;
            }
            for (ManagementConnection m : c.open()) {
                int n = m.state().bytecount();
                if (m.ready() && n > 0 && t % n == 0) {
                    List<String> lines = new ArrayList<>();
                    for (Session s : registry.sessions()) {
                        if (Commands.established(s)) {
                            lines.add(">BYTECOUNT_CLI:" + s.id() + "," + s.bytesIn() + "," + s.bytesOut());
                        }
                    }
                    if (!lines.isEmpty()) {
                        m.sendBlock(lines);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("bytecount notification failed", e);
        }
    }

    // ---- SessionListener: the >CLIENT: notifications ----------------------------------------------------

    @Override
    public void stateChanged(Session s, SessionState previous) {
        if (previous == SessionState.HANDSHAKE && s.state() == SessionState.ACTIVE && !s.name().isEmpty()) {
            Instant now = Instant.now();
            established.put(s.id(), now);
            log.add(new History.Entry(now.getEpochSecond(), "I," + StatusFormat.commonName(s) + "/"
                    + StatusFormat.real(s.remote()) + " connected, virtual address " + StatusFormat.virtualAddress(s)));
            String address = StatusFormat.virtualAddress(s);
            if (!address.isEmpty()) {
                notifyAll(c -> true, List.of(">CLIENT:ADDRESS," + s.id() + "," + address + ",1"));
            }
            List<String> lines = new ArrayList<>();
            lines.add(">CLIENT:ESTABLISHED," + s.id());
            ClientEnv.established(s, established.size(), now, envDaemon).forEach(e -> lines.add(">CLIENT:ENV," + e));
            lines.add(">CLIENT:ENV,END");
            notifyAll(c -> true, lines);
        }
    }

    @Override
    public void closed(Session s, String reason) {
        Instant at = established.remove(s.id());
        if (at != null) {
            log.add(new History.Entry(Instant.now().getEpochSecond(), "I," + StatusFormat.commonName(s) + "/"
                    + StatusFormat.real(s.remote()) + " disconnected: " + reason.replaceAll("[^\\x20-\\x7e]", "?")));
            List<String> lines = new ArrayList<>();
            lines.add(">CLIENT:DISCONNECT," + s.id());
            ClientEnv.disconnected(s, at, Instant.now(), envDaemon).forEach(e -> lines.add(">CLIENT:ENV," + e));
            lines.add(">CLIENT:ENV,END");
            notifyAll(c -> true, lines);
        }
    }

    // ---- Daemon ---------------------------------------------------------------------------------------

    @Override
    public Collection<Session> sessions() {
        return registry.sessions();
    }

    @Override
    public void end(Session session, PeerControl.Notice notice, String reason) {
        LOG.info("Management: ending the session of {} ({}): {}", StatusFormat.commonName(session),
                StatusFormat.real(session.remote()), reason);
        if (notice == null) {
            registry.close(session, reason);
        } else {
            PeerControl.end(registry, session, notice, reason);
        }
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public long pid() {
        return envDaemon.pid();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public History log() {
        return log;
    }

    @Override
    public History state() {
        return state;
    }

    @Override
    public History echo() {
        return echo;
    }

    @Override
    public boolean hold() {
        return hold;
    }

    @Override
    public void hold(boolean on) {
        hold = on;
    }

    @Override
    public boolean signal(String name) {
        switch (name) {
            case "SIGHUP", "SIGUSR1" -> {
                LOG.info("Management: {}: every client is asked to reconnect", name);
                for (Session s : registry.sessions()) {
                    if (Commands.established(s)) {
                        PeerControl.end(registry, s, PeerControl.Notice.RESTART, "restart (" + name + " from management)");
                    }
                }
            }
            case "SIGUSR2" -> LOG.info("Management: SIGUSR2, status:\n{}",
                    String.join("\n", StatusFormat.format(1, title, Instant.now(), registry.sessions())));
            case "SIGTERM" -> stopInstance();
            default -> {
                return false;
            }
        }
        return true;
    }

    private void stopInstance() {
        LOG.info("Management: SIGTERM, stopping the instance");
        Thread t = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("Management: cannot stop the instance: {}", e.getMessage());
            }
        }, "tunnelbus-openvpn-management-sigterm");
        t.setDaemon(true);
        t.start();
    }

    @Deactivate
    void deactivate() {
        state.add(new History.Entry(Instant.now().getEpochSecond(), "EXITING,exit-with-notification,,,,,"));
        logFeed.detach();
        ticker.shutdownNow();
        Connections c = connections;
        connections = null;
        if (c != null) {
            c.close();
        }
    }
}
