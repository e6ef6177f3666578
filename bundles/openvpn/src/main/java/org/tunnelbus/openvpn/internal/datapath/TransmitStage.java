package org.tunnelbus.openvpn.internal.datapath;

import java.net.InetSocketAddress;

import org.osgi.service.component.annotations.Component;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.api.transport.TransportLink;

/**
 * OUTGOING, ENCAP box (order 500): addresses a sealed packet to its session's peer ({@link Session#remote()},
 * which follows a floating peer) and hands it to the session's {@link TransportLink}, the sink that writes to
 * the listener's socket.
 *
 * <p>It sends nothing the encryption stage did not seal ({@code not-sealed}): a chain that lost its crypto
 * stage never leaks plaintext. Other drops: {@code no-link}, {@code no-address}, {@code session-closed}.
 */
@Component(service = Stage.class)
@PipelineStage(name = "openvpn-transmit", box = "ENCAP", direction = "outgoing")
public final class TransmitStage implements Stage {
    static final Verdict NOT_SEALED = Verdict.drop("not-sealed");
    static final Verdict NO_LINK = Verdict.drop("no-link");
    static final Verdict NO_ADDRESS = Verdict.drop("no-address");
    static final Verdict SESSION_CLOSED = Verdict.drop("session-closed");

    @Override
    public Verdict process(Packet packet) {
        int mark = packet.mark();
        if ((mark & Marks.SEALED) == 0) {
            return NOT_SEALED;
        }
        Session session = packet.session();
        if (session.state() == SessionState.CLOSED) {
            return SESSION_CLOSED;
        }
        PacketSink link = session.get(TransportLink.KEY);
        if (link == null) {
            return NO_LINK;
        }
        InetSocketAddress remote = session.remote();
        if (remote == null) {
            return NO_ADDRESS;
        }
        packet.mark(mark & ~Marks.SEALED);
        packet.address(remote);
        packet.sink(link);
        return Verdict.PASS;
    }
}
