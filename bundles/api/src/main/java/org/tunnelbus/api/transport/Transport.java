package org.tunnelbus.api.transport;

import java.net.InetSocketAddress;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * An open socket (the socket box's part): sends OpenVPN packets to remote hosts and hands received ones
 * to its {@link TransportListener}.
 *
 * <p><b>Implemented by</b> socket modules, created by their {@link TransportFactory}. <b>Called by</b> the
 * core's outgoing sink ({@link #send}) from I/O threads, and by the component that opened it
 * ({@link #close}). {@link #send} is thread-safe.
 */
@ConsumerType
public interface Transport {
    /** The bound address (with the real port when port 0 was asked for). */
    InetSocketAddress localAddress();

    /**
     * Sends every packet of the batch to its {@link org.tunnelbus.api.packet.Packet#address()} (UDP) or to
     * the connected peer (TCP, which adds the 2-byte length). Takes ownership: the packets are released and
     * the batch is empty on return. A packet that cannot be sent is counted and released, never thrown.
     */
    void send(PacketBatch batch);

    /**
     * Closes the connection of one peer of a stream transport (TCP server), e.g. because its session ended;
     * the parent then gets {@link TransportListener#closed} with that peer's address. Datagram transports
     * have no connections and ignore it, as does a stream transport that has no connection to {@code remote}.
     *
     * <p><b>Called by</b> the protocol module's listener when it ends a peer's session. <b>Implemented by</b>
     * stream transports. Never throws; safe from any thread.
     *
     * @param remote the peer's address, as its received packets carry it
     * @param reason for the log
     * @since 0.4.0
     */
    default void disconnect(InetSocketAddress remote, String reason) {
    }

    /** Stops receiving and closes the socket; returns within a second even if a receive is blocked. */
    void close();

    /**
     * A snapshot of this transport's counters by name, for status pages and the management socket:
     * {@code packets.in}, {@code bytes.in}, {@code packets.out}, {@code bytes.out} and one
     * {@code drop.<reason>} per drop reason (e.g. {@code drop.pool-empty}, {@code drop.send-error},
     * {@code drop.too-big}). Allocates; not for the data path. Safe to call from any thread, also after
     * {@link #close()}.
     *
     * @return the counters; empty if the transport keeps none
     * @since 0.2.0
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
