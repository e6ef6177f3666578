package org.tunnelbus.api.pipeline;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.packet.Packet;

/**
 * One box's work on one packet, e.g. encrypt, decompress, clamp MSS, pick the session.
 *
 * <p><b>Implemented by</b> modules, which register it as a whiteboard service with the properties of
 * {@link PipelineStage} (typically {@code @PipelineStage(name = "mss-clamp", box = "MANGLE")} on a DS
 * component). <b>Called by</b> the core's bus only, on the I/O thread that carries the packet; several
 * threads may call {@link #process} at once with different packets, so per-packet state lives in the
 * packet and per-session state in the {@link org.tunnelbus.api.session.Session}.
 *
 * <p><b>Hot swap:</b> the bus may still call {@link #process} for packets already in flight on an old
 * chain shortly after the stage's component was deactivated or replaced. A stage must stay callable
 * until then (keep what {@code process} needs until garbage collection, or return a drop verdict).
 *
 * <p><b>Cost:</b> no allocation, no blocking, no service lookup in {@link #process}.
 */
@ConsumerType
public interface Stage {
    /**
     * Processes one packet in place.
     *
     * @return {@link Verdict#PASS}, {@link Verdict#CONSUMED} (ownership taken) or a drop verdict
     */
    Verdict process(Packet packet);

    /** Bytes this stage may prepend to a packet; the allocator reserves the sum over all stages. */
    default int headroom() {
        return 0;
    }

    /** Bytes this stage may append to a packet (tags, padding). */
    default int tailroom() {
        return 0;
    }
}
