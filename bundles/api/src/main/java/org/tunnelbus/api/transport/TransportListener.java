package org.tunnelbus.api.transport;

import org.osgi.annotation.versioning.ProviderType;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * The parent of a {@link Transport}: receives what it reads (the socket box's parent callbacks).
 *
 * <p><b>Implemented by</b> the protocol module / core, which decapsulates and runs the INCOMING chain.
 * <b>Called by</b> the transport's receive thread(s).
 */
@ProviderType
public interface TransportListener {
    /** Where the transport takes its receive buffers from. */
    PacketAllocator allocator();

    /**
     * Received packets, each with its source in {@link org.tunnelbus.api.packet.Packet#address()}. Ownership
     * passes to the listener; the batch is empty on return.
     */
    void received(PacketBatch batch);

    /** A stream transport's peer connected ({@code remote} is its address). Datagram transports never call it. */
    default void connected(java.net.InetSocketAddress remote) {
    }

    /** The transport (or, for streams, one peer's connection) ended, with a reason for the log. */
    void closed(java.net.InetSocketAddress remote, String reason);
}
