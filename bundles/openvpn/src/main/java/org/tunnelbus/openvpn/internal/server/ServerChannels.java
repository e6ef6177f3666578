package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.transport.TransportLink;
import org.tunnelbus.openvpn.internal.channel.ControlChannel;
import org.tunnelbus.openvpn.internal.link.PacketDemux;

/**
 * A listener's control channels by peer address (control packets, P_DATA_V1) and by session id; written on the
 * control thread, read lock-free by the transport thread to find a data packet's session. A P_DATA_V2 packet is
 * found by the peer-id the registry assigned, and counts only if its session is this listener's and, without float
 * (TCP), comes over the session's own connection.
 */
final class ServerChannels implements PacketDemux.Peers {
    private final SessionRegistry registry;
    private final PacketSink link;
    private final BooleanSupplier floats;
    private final Map<InetSocketAddress, ControlChannel> byAddress = new ConcurrentHashMap<>();
    private final Map<Long, ControlChannel> bySession = new ConcurrentHashMap<>();

    /** @param floats whether a session's peer may change address (UDP) */
    ServerChannels(SessionRegistry registry, PacketSink link, BooleanSupplier floats) {
        this.registry = registry;
        this.link = link;
        this.floats = floats;
    }

    @Override
    public Session byPeerId(int peerId, InetSocketAddress from) {
        Session s = registry.byPeerId(peerId);
        return s != null && s.get(TransportLink.KEY) == link && (floats.getAsBoolean() || from.equals(s.remote())) ? s
                : null;
    }

    @Override
    public Session byAddress(InetSocketAddress from) {
        ControlChannel c = byAddress.get(from);
        return c == null ? null : c.session();
    }

    void add(ControlChannel c) {
        bySession.put(c.session().id(), c);
        byAddress.put(c.remote(), c);
    }

    void moved(ControlChannel c, InetSocketAddress from, InetSocketAddress to) {
        byAddress.remove(from, c);
        byAddress.put(to, c);
    }

    void remove(ControlChannel c) {
        bySession.remove(c.session().id(), c);
        byAddress.remove(c.remote(), c);
    }

    ControlChannel at(InetSocketAddress peer) {
        return byAddress.get(peer);
    }

    ControlChannel of(Session session) {
        return bySession.get(session.id());
    }

    int size() {
        return bySession.size();
    }

    Collection<ControlChannel> all() {
        return List.copyOf(bySession.values());
    }
}
