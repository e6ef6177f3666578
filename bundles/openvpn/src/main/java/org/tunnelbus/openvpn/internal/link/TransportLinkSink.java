package org.tunnelbus.openvpn.internal.link;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.transport.Transport;

/**
 * A listener's or client connection's {@link org.tunnelbus.api.transport.TransportLink}: the sink its sessions' packets leave the
 * bus through. Each thread gathers into its own batch (no lock) and hands the batch to the transport when
 * the bus flushes (or the batch is full); {@link Transport#send} is thread-safe by contract.
 *
 * <p>The sink outlives the socket: when the listener reopens its transport (the socket module was updated,
 * the port changed) sessions keep this object and it forwards to the new transport. While there is none,
 * packets are counted and released.
 */
public final class TransportLinkSink implements PacketSink {
    private static final int BATCH = 64;

    private final ThreadLocal<PacketBatch> gather = ThreadLocal.withInitial(() -> new PacketBatch(BATCH));
    private final LongAdder noTransport = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final String name;
    private volatile Transport transport;

    public TransportLinkSink(String name) {
        this.name = name;
    }

    public void transport(Transport t) {
        this.transport = t;
    }

    public Transport transport() {
        return transport;
    }

    @Override
    public void accept(Packet packet) {
        Transport t = transport;
        if (t == null) {
            noTransport.increment();
            packet.release();
            return;
        }
        PacketBatch b = gather.get();
        b.add(packet);
        if (b.isFull()) {
            send(t, b);
        }
    }

    @Override
    public void flush() {
        PacketBatch b = gather.get();
        if (b.isEmpty()) {
            return;
        }
        Transport t = transport;
        if (t == null) {
            noTransport.add(b.size());
            b.releaseAll();
            return;
        }
        send(t, b);
    }

    private void send(Transport t, PacketBatch b) {
        try {
            t.send(b);
        } catch (RuntimeException e) {
            sendErrors.add(b.size());
        } finally {
            if (!b.isEmpty()) { // the transport broke its contract: do not leak
                for (int i = 0; i < b.size(); i++) {
                    Packet p = b.get(i);
                    if (p != null && !p.isFree()) {
                        p.release();
                    }
                }
                b.clear();
            }
        }
    }

    /**
     * Sends one wire-form datagram (the remaining bytes of {@code datagram}) now, outside the bus: control packets.
     *
     * @return null, or the drop counter name: {@code control-pool-empty}, {@code control-too-big}
     */
    public String sendNow(PacketAllocator allocator, InetSocketAddress to, ByteBuffer datagram) {
        Packet p = allocator.allocate();
        if (p == null) {
            return "control-pool-empty"; // the reliable layer resends
        }
        int n = datagram.remaining();
        if (n > allocator.capacity()) {
            p.release();
            return "control-too-big";
        }
        p.put(datagram.array(), datagram.arrayOffset() + datagram.position(), n);
        p.address(to);
        accept(p);
        flush();
        return null;
    }

    /** Packets dropped because no transport was open. */
    public long noTransport() {
        return noTransport.sum();
    }

    public long sendErrors() {
        return sendErrors.sum();
    }

    @Override
    public String toString() {
        return "TransportLink[" + name + "]";
    }
}
