package org.tunnelbus.openvpn.internal.link;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.datapath.KeepalivePing;

/**
 * Sends what the control side says over the data channel (keepalive pings, OCC messages) into the OUTGOING chain
 * just after routing: they are not IP packets, and stock encrypts them straight away.
 */
public final class DataInjector {
    private static final int OUTGOING_AFTER_ROUTE = Box.ROUTE.order(Direction.OUTGOING) + 1;

    private final PacketBus bus;

    public DataInjector(PacketBus bus) {
        this.bus = bus;
    }

    /** @return false if the packet pool was empty (nothing sent) */
    public boolean send(Session session, byte[] payload) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            return false;
        }
        p.put(payload, 0, payload.length);
        p.session(session);
        bus.inject(Direction.OUTGOING, p, OUTGOING_AFTER_ROUTE);
        return true;
    }

    /** A keepalive ping (§6.5). @return false if the packet pool was empty */
    public boolean ping(Session session) {
        return send(session, KeepalivePing.payload());
    }
}
