package org.tunnelbus.handshake.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.ConfigUpdate;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;

/**
 * The server-push configuration handshake: gives each client an address from the tunnel network,
 * chooses its data cipher, and builds the options of its PUSH_REPLY in the order a stock 2.6 server
 * uses (global options, then the client's own: {@code ifconfig}, {@code cipher}). The protocol module adds
 * what belongs to the wire ({@code peer-id}, {@code protocol-flags}, {@code tun-mtu}).
 *
 * <p>Configuration changes (this PID and the per-client ones) apply to the next client that connects and are
 * reported to the protocol module for connected clients through {@link #update}: changed routes and DNS options
 * as a PUSH_UPDATE, anything else by a reconnect, iroutes on the server at once. The pool is rebuilt from live
 * sessions on activation, so a restarted or upgraded module never hands out an address that is in use.
 */
@Component(service = {ConfigHandshake.class, SessionListener.class}, configurationPid = PushConfig.PID,
        property = ConfigHandshake.MODE + "=push")
@Designate(ocd = PushConfig.class)
public final class PushHandshake implements ConfigHandshake, SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(PushHandshake.class);

    private final RouteTable routes;
    /** The generation of the configuration a session was last checked against ({@link #update}). */
    private static final SessionKey<Long> CHECKED = SessionKey.of("handshake.push.generation", Long.class);

    private final List<ClientOverrideEntry> overrides = new CopyOnWriteArrayList<>();
    /** Counts configuration changes, so that {@link #update} is one comparison while nothing changes. */
    private final AtomicLong generation = new AtomicLong();
    private volatile PushSettings settings;
    private volatile AddressPool pool;

    @Activate
    public PushHandshake(@Reference RouteTable routes, @Reference SessionRegistry sessions, PushConfig config,
            Map<String, Object> properties) {
        this.routes = routes;
        this.settings = PushSettings.from(config); // an invalid first configuration fails activation, logged by SCR
        this.pool = new AddressPool(settings.network());
        reserveFixedAddresses();
        sessions.sessions().forEach(this::restore);
        LOG.info("Push handshake: tunnel {} (server {}), ciphers {}", settings.network(),
                pool.server().getHostAddress(), String.join(":", settings.ciphers()));
    }

    @Modified
    void modified(PushConfig config, Map<String, Object> properties) {
        PushSettings next;
        try {
            next = PushSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}{}: {}; keeping the previous one", PushConfig.PID,
                    sourceFile(properties), e.getMessage());
            return;
        }
        if (!next.network().equals(settings.network())) {
            pool = new AddressPool(next.network());
            reserveFixedAddresses();
        }
        settings = next;
        generation.incrementAndGet();
        LOG.info("Push handshake reconfigured: tunnel {}, ciphers {}; connected clients are updated", next.network(),
                String.join(":", next.ciphers()));
    }

    @Override
    public List<String> serve(Session session, PeerOptions peer) throws HandshakeRefusedException {
        session.set(CHECKED, generation.get());
        session.set(PeerOptions.KEY, peer);
        PushSettings s = settings;
        AddressPool p = pool;
        String cipher = CipherNegotiation.choose(s.ciphers(), peer.peerInfo(), peer.optionsString());
        if (cipher == null) {
            throw new HandshakeRefusedException("no common data cipher: the client offers "
                    + peer.peerInfo().getOrDefault("IV_CIPHERS", "(none)") + ", the server allows "
                    + String.join(":", s.ciphers()));
        }
        ClientOverride own = overrideFor(peer.identity());
        if (own != null && own.disabled()) {
            throw new HandshakeRefusedException("disabled by its per-client configuration (" + ClientOverrideConfig.PID + ")");
        }
        InetAddress address = address(s, p, own, peer.identity());
        List<String> options = options(s, p, address, cipher, pushedFor(s, own));
        session.set(TunnelConfig.KEY, tunnelConfig(s, p, address, cipher, options));
        routesInto(address, own).forEach(r -> routes.add(r, session));
        return options;
    }

    @Override
    public ConfigUpdate update(Session session) {
        long now = generation.get();
        Long checked = session.get(CHECKED);
        TunnelConfig served = session.get(TunnelConfig.KEY);
        if ((checked != null && checked == now) || served == null || served.address() == null) {
            return null;
        }
        session.set(CHECKED, now);
        return changes(session, served);
    }

    /** What differs between what {@code session} was served and what it would be served now. */
    private ConfigUpdate changes(Session session, TunnelConfig served) {
        ClientOverride own = overrideFor(session.name());
        if (own != null && own.disabled()) {
            return new ConfigUpdate(ConfigUpdate.Delivery.DISCONNECT, List.of(),
                    "disabled by its per-client configuration (" + ClientOverrideConfig.PID + ")");
        }
        PushSettings s = settings;
        AddressPool p = pool;
        InetAddress address = host(served);
        if (own != null && own.address() != null && !own.address().equals(address)) {
            return new ConfigUpdate(ConfigUpdate.Delivery.RECONNECT, List.of(), "its fixed address is now "
                    + own.address().getHostAddress() + " (it has " + address.getHostAddress() + ")");
        }
        if (!p.isClientAddress(address)) {
            return new ConfigUpdate(ConfigUpdate.Delivery.RECONNECT, List.of(), "the tunnel network is now "
                    + s.network() + " (it has " + address.getHostAddress() + ")");
        }
        updateRoutes(session, address, own);
        List<String> options = options(s, p, address, served.cipher(), pushedFor(s, own));
        if (options.equals(served.options())) {
            return null;
        }
        session.set(TunnelConfig.KEY, tunnelConfig(s, p, address, served.cipher(), options));
        List<String> update = PushDiff.update(served.options(), options);
        String reason = PushDiff.describe(served.options(), options);
        return update == null ? new ConfigUpdate(ConfigUpdate.Delivery.RECONNECT, List.of(), reason)
                : new ConfigUpdate(ConfigUpdate.Delivery.UPDATE, update, reason);
    }

    /** The server side of a per-client change: routes into the client (its iroutes) change at once. */
    private void updateRoutes(Session session, InetAddress address, ClientOverride own) {
        List<Prefix> wanted = routesInto(address, own);
        if (!new HashSet<>(routes.routes(session)).equals(new HashSet<>(wanted))) {
            routes.removeAll(session);
            wanted.forEach(r -> routes.add(r, session));
            LOG.info("Routes into client {} are now {}", session.name(), wanted);
        }
    }

    private static List<Prefix> routesInto(InetAddress address, ClientOverride own) {
        List<Prefix> all = new ArrayList<>();
        all.add(Prefix.parse(address.getHostAddress()));
        if (own != null) {
            all.addAll(own.iroutes());
        }
        return all;
    }

    /** The options pushed to every client, or with a client's own added (or instead, with push-reset). */
    private static List<String> pushedFor(PushSettings s, ClientOverride own) {
        return own == null ? s.push() : own.pushReset() ? own.push() : concat(s.push(), own.push());
    }

    private static TunnelConfig tunnelConfig(PushSettings s, AddressPool p, InetAddress address, String cipher,
            List<String> options) {
        return new TunnelConfig(address.getHostAddress() + "/" + s.network().length(), p.server().getHostAddress(),
                "subnet", cipher, s.ping(), s.pingRestart(), List.of(), options);
    }

    /** The client's fixed address if its overrides name one, else one from the pool. */
    private static InetAddress address(PushSettings s, AddressPool p, ClientOverride own, String identity)
            throws HandshakeRefusedException {
        if (own == null || own.address() == null) {
            InetAddress a = p.allocate(identity);
            if (a == null) {
                throw new HandshakeRefusedException("address pool " + s.network() + " is exhausted");
            }
            return a;
        }
        InetAddress fixed = own.address();
        if (!p.isClientAddress(fixed)) {
            throw new HandshakeRefusedException("its fixed address " + fixed.getHostAddress() + " (" + ClientOverrideConfig.PID
                    + ") is not a client address of the tunnel " + s.network());
        }
        if (!p.claimFixed(fixed, identity)) {
            throw new HandshakeRefusedException("its fixed address " + fixed.getHostAddress() + " is in use by another session");
        }
        return fixed;
    }

    private ClientOverride overrideFor(String identity) {
        for (ClientOverrideEntry e : overrides) {
            ClientOverride o = e.override();
            if (o != null && o.name().equals(identity)) {
                return o;
            }
        }
        return null;
    }

    @Reference(service = ClientOverrideEntry.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindOverride(ClientOverrideEntry entry) {
        overrides.add(entry);
        ClientOverride o = entry.override();
        if (o != null) {
            LOG.info("Per-client configuration for {}: {}", o.name(), describe(o));
        }
        reserveFixedAddresses();
        generation.incrementAndGet();
    }

    public void unbindOverride(ClientOverrideEntry entry) {
        overrides.remove(entry);
        reserveFixedAddresses();
        generation.incrementAndGet();
    }

    private void reserveFixedAddresses() {
        AddressPool p = pool;
        if (p != null) {
            p.reserve(overrides.stream().map(ClientOverrideEntry::override).filter(Objects::nonNull)
                    .map(ClientOverride::address).filter(Objects::nonNull).toList());
        }
    }

    private static String describe(ClientOverride o) {
        List<String> parts = new ArrayList<>();
        if (o.disabled()) {
            parts.add("disabled");
        }
        if (o.address() != null) {
            parts.add("address " + o.address().getHostAddress());
        }
        if (o.pushReset()) {
            parts.add("push-reset");
        }
        o.push().forEach(x -> parts.add("push '" + x + "'"));
        o.iroutes().forEach(r -> parts.add("iroute " + r.address().getHostAddress() + "/" + r.length()));
        return parts.isEmpty() ? "nothing to change" : String.join(", ", parts);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> options(PushSettings s, AddressPool p, InetAddress address, String cipher, List<String> extra) {
        List<String> options = new ArrayList<>();
        options.add("route-gateway " + p.server().getHostAddress());
        options.add("topology subnet");
        if (s.ping() > 0) {
            options.add("ping " + s.ping());
        }
        if (s.pingRestart() > 0) {
            options.add("ping-restart " + s.pingRestart());
        }
        options.addAll(extra);
        options.add("ifconfig " + address.getHostAddress() + " " + p.netmask());
        options.add("cipher " + cipher);
        return options;
    }

    @Override
    public void apply(Session session, List<String> options) throws HandshakeRefusedException {
        session.set(TunnelConfig.KEY, PushedOptions.parse(options));
    }

    @Override
    public void closed(Session session, String reason) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config != null && config.address() != null) {
            pool.release(host(config));
        }
    }

    private void restore(Session session) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config != null && config.address() != null) {
            pool.claim(host(config), session.name());
        }
    }

    private static InetAddress host(TunnelConfig config) {
        return Prefix.parse(config.address().split("/")[0]).address();
    }

    private static String sourceFile(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }
}
