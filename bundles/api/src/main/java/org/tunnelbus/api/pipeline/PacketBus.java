package org.tunnelbus.api.pipeline;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * The packet bus: runs each packet through the current chain of its direction and delivers it to its
 * sink.
 *
 * <p><b>Implemented by</b> the core, which registers it as a service. <b>Called by</b> devices and transports
 * (through their parent callbacks), by the control channel, and by stages that re-inject packets (mesh
 * routing). All methods are thread-safe; a chain is a snapshot read once per batch, so a batch finishes
 * on the chain it started on even if the stages change meanwhile.
 */
@ProviderType
public interface PacketBus {
    /**
     * Runs every packet of the batch through the chain of {@code direction}. Ownership of the packets
     * passes to the bus; the batch is empty on return and can be refilled.
     */
    void submit(Direction direction, PacketBatch batch);

    /** Runs one packet; prefer {@link #submit(Direction, PacketBatch)} on hot paths. */
    void submit(Direction direction, Packet packet);

    /**
     * Runs one packet through the stages of {@code direction} whose order is at least {@code fromOrder},
     * e.g. a packet that routing turned from INCOMING to OUTGOING (to another remote) enters the outgoing
     * chain after its own routing stage.
     */
    void inject(Direction direction, Packet packet, int fromOrder);

    /** The buffer pool, sized with the headroom and tailroom the current stages declare. */
    PacketAllocator allocator();

    /** The chain the bus runs now for {@code direction}, in order. */
    List<StageInfo> chain(Direction direction);

    /**
     * A snapshot of every counter by name: {@code <direction>.<stage>.packets}, {@code .bytes},
     * {@code .drop.<reason>}, and {@code <direction>.sink.packets}. Allocates; not for the data path.
     */
    Map<String, Long> counters();
}
