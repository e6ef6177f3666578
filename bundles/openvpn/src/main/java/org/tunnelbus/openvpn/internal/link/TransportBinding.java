package org.tunnelbus.openvpn.internal.link;

import java.net.InetSocketAddress;

import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportListener;

/**
 * One opened socket of a listener or client connection, as the transport sees its parent: received batches go to
 * the {@link PacketDemux}; connections opening and closing (stream transports) and the socket closing go to the
 * endpoint, which compares the binding with its current one (a close it asked for itself is not news).
 */
public final class TransportBinding implements TransportListener {
    /** What the endpoint hears of its socket, on the transport's threads. */
    public interface Events {
        /** A peer connected (stream transports). */
        default void connected(TransportBinding binding, InetSocketAddress remote) {
        }

        /** A peer's connection ({@code remote}), or with {@code remote == null} the socket itself, closed. */
        void closed(TransportBinding binding, InetSocketAddress remote, String reason);
    }

    private final PacketAllocator allocator;
    private final PacketDemux demux;
    private final Events events;
    private volatile Transport transport;

    public TransportBinding(PacketAllocator allocator, PacketDemux demux, Events events) {
        this.allocator = allocator;
        this.demux = demux;
        this.events = events;
    }

    /** Set right after {@code TransportFactory.open} returns. */
    public void transport(Transport t) {
        this.transport = t;
    }

    public Transport transport() {
        return transport;
    }

    @Override
    public PacketAllocator allocator() {
        return allocator;
    }

    @Override
    public void received(PacketBatch batch) {
        demux.received(batch);
    }

    @Override
    public void connected(InetSocketAddress remote) {
        events.connected(this, remote);
    }

    @Override
    public void closed(InetSocketAddress remote, String reason) {
        events.closed(this, remote, reason);
    }
}
