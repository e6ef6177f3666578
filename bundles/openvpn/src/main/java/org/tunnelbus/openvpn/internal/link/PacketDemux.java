package org.tunnelbus.openvpn.internal.link;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.wire.HeaderByte;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * The first step of every received datagram, listener or client connection alike, on the transport's thread: the
 * opcode decides (wire reference §1.2).
 *
 * <pre>
 *   P_DATA_V2 ─▶ session by peer-id (lock-free) ─┐
 *   P_DATA_V1 ─▶ session by source address       ├─▶ bus INCOMING (decap ─▶ open ─▶ … ─▶ device)
 *   garbage   ─▶ no session (decap counts it)    ┘
 *   control   ─▶ {@link ControlInbox} ─▶ the control thread
 * </pre>
 *
 * No lock, lookup beyond the {@link Peers} maps, or allocation per data packet.
 */
public final class PacketDemux {
    /** How the endpoint finds a data packet's session: a listener by peer-id or address, a client its one session. */
    public interface Peers {
        /** The session of a P_DATA_V2 packet with {@code peerId} from {@code from}, or null. */
        Session byPeerId(int peerId, InetSocketAddress from);

        /** The session of a P_DATA_V1 packet from {@code from}, or null. */
        Session byAddress(InetSocketAddress from);

        /** A client connection: every data packet is its one session's (null while there is none). */
        static Peers single(Supplier<Session> session) {
            return new Peers() {
                @Override
                public Session byPeerId(int peerId, InetSocketAddress from) {
                    return session.get();
                }

                @Override
                public Session byAddress(InetSocketAddress from) {
                    return session.get();
                }
            };
        }
    }

    private static final int BATCH = 64;
    private static final int V1 = Opcode.DATA_V1.value();
    private static final int V2 = Opcode.DATA_V2.value();

    private final PacketBus bus;
    private final Peers peers;
    private final ControlInbox control;
    private final ThreadLocal<PacketBatch> incoming = ThreadLocal.withInitial(() -> new PacketBatch(BATCH));

    public PacketDemux(PacketBus bus, Peers peers, ControlInbox control) {
        this.bus = bus;
        this.peers = peers;
        this.control = control;
    }

    /** One batch from the transport; {@code batch} is cleared. */
    public void received(PacketBatch batch) {
        PacketBatch data = incoming.get();
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            Packet p = batch.get(i);
            if (p == null) {
                continue;
            }
            int length = p.length();
            int opcode = length > 0 ? (p.get(0) & 0xFF) >>> HeaderByte.OPCODE_SHIFT : -1;
            if (opcode == V2) {
                p.session(length >= 4 ? peers.byPeerId(p.buffer().getInt(p.offset()) & 0xFFFFFF, p.address()) : null);
            } else if (opcode == V1) {
                p.session(peers.byAddress(p.address()));
            } else if (opcode > 0 && Opcode.ofValue(opcode) != null) {
                control.offer(p);
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
}
