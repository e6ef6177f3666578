package org.tunnelbus.route.ip.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.session.Session;

/**
 * INCOMING routing: a packet from a session goes to the local device, or — with client-to-client on —
 * straight to the session that owns its destination, re-entering the OUTGOING chain after routing.
 * With {@code check.source} (the default) a packet whose source address is not routed to the session it
 * came from is dropped as {@code bad-source}: a client may only speak for its own addresses, as the
 * stock server enforces ("bad source address from client").
 */
@Component(service = Stage.class, configurationPid = RoutingConfig.PID)
@Designate(ocd = RoutingConfig.class)
@PipelineStage(name = "route", box = "ROUTE", direction = "incoming")
public final class IncomingRoute implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingRoute.class);
    static final Verdict BAD_SOURCE = Verdict.drop("bad-source");
    static final Verdict NOT_IP = Verdict.drop("not-ip");
    private static final int OUTGOING_AFTER_ROUTE = Box.ROUTE.order(Direction.OUTGOING) + 1;

    private final IpRouteTable table;
    private final PacketBus bus;
    private volatile boolean clientToClient;
    private volatile boolean checkSource;

    @Activate
    public IncomingRoute(@Reference IpRouteTable table, @Reference PacketBus bus, RoutingConfig config) {
        this.table = table;
        this.bus = bus;
        modified(config);
    }

    @Modified
    void modified(RoutingConfig config) {
        clientToClient = config.client_to_client();
        checkSource = config.check_source();
        LOG.info("Routing: client-to-client {}, source check {}", clientToClient ? "on" : "off", checkSource ? "on" : "off");
    }

    @Override
    public Verdict process(Packet packet) {
        Session from = packet.session();
        return switch (IpHeader.version(packet)) {
            case IpHeader.V4 -> route4(packet, from);
            case IpHeader.V6 -> route6(packet, from);
            default -> NOT_IP;
        };
    }

    private Verdict route4(Packet packet, Session from) {
        if (checkSource && from != null && table.lookup4(IpHeader.source4(packet)) != from) {
            return BAD_SOURCE;
        }
        int dst = IpHeader.destination4(packet);
        if (!clientToClient || IpHeader.isMulticastOrBroadcast4(dst)) {
            return Verdict.PASS;
        }
        return forward(packet, from, table.lookup4(dst));
    }

    private Verdict route6(Packet packet, Session from) {
        if (checkSource && from != null
                && table.lookup6(IpHeader.sourceHi6(packet), IpHeader.sourceLo6(packet)) != from) {
            return BAD_SOURCE;
        }
        long hi = IpHeader.destinationHi6(packet);
        if (!clientToClient || IpHeader.isLinkScoped6(hi)) {
            return Verdict.PASS;
        }
        return forward(packet, from, table.lookup6(hi, IpHeader.destinationLo6(packet)));
    }

    /** Sends the packet on to another session, or leaves it for the device. */
    private Verdict forward(Packet packet, Session from, Session to) {
        if (to == null || to == from) {
            return Verdict.PASS;
        }
        packet.session(to);
        packet.sink(null);
        bus.inject(Direction.OUTGOING, packet, OUTGOING_AFTER_ROUTE);
        return Verdict.CONSUMED;
    }
}
