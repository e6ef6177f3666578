package org.tunnelbus.route.ip.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.session.Session;

/**
 * OUTGOING routing: the destination address of a packet read from the device picks the session that
 * owns it (longest prefix). Packets for no session are dropped and counted as {@code no-route}, like the
 * stock server's "no route" case; non-IP frames as {@code not-ip}.
 */
@Component(service = Stage.class)
@PipelineStage(name = "route", box = "ROUTE", direction = "outgoing")
public final class OutgoingRoute implements Stage {
    static final Verdict NO_ROUTE = Verdict.drop("no-route");
    static final Verdict NOT_IP = Verdict.drop("not-ip");

    private final IpRouteTable table;

    @Activate
    public OutgoingRoute(@Reference IpRouteTable table) {
        this.table = table;
    }

    @Override
    public Verdict process(Packet packet) {
        Session target;
        switch (IpHeader.version(packet)) {
            case IpHeader.V4 -> target = table.lookup4(IpHeader.destination4(packet));
            case IpHeader.V6 -> target = table.lookup6(IpHeader.destinationHi6(packet), IpHeader.destinationLo6(packet));
            default -> {
                return NOT_IP;
            }
        }
        if (target == null) {
            return NO_ROUTE;
        }
        packet.session(target);
        return Verdict.PASS;
    }
}
