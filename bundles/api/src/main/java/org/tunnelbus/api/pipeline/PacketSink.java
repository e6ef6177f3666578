package org.tunnelbus.api.pipeline;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.packet.Packet;

/**
 * Where a chain delivers a packet that passed its last stage: a device (INCOMING) or a transport
 * connection (OUTGOING).
 *
 * <p><b>Implemented by</b> the core for each attached device and transport, and by test harnesses.
 * A packet names its sink ({@link Packet#sink()}), set by routing or decapsulation; a packet without one
 * goes to the default sink of its direction, a whiteboard service with property
 * {@value #DIRECTION} = {@code outgoing|incoming} (highest ranking wins). <b>Called by</b> the bus on the I/O
 * thread, ownership passing with the call; {@link #flush()} follows each batch so a sink may write
 * batches.
 */
@ConsumerType
public interface PacketSink {
    /** Service property naming the direction a whiteboard sink terminates. */
    String DIRECTION = "tunnelbus.sink.direction";

    /** Takes ownership of a packet. */
    void accept(Packet packet);

    /** End of a batch: write out whatever was gathered. */
    default void flush() {
    }
}
