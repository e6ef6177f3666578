package org.tunnelbus.api.mangle;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.pipeline.Stage;

/**
 * A stage of the {@link org.tunnelbus.api.pipeline.Box#MANGLE} box: rewrites headers of IP packets or
 * Ethernet frames in place (MSS clamp, TTL, DSCP) and keeps checksums valid. It never changes ownership:
 * it returns {@code PASS}, or a drop verdict for a packet it must refuse.
 *
 * <p><b>Implemented by</b> mangler modules ({@code mangle-mss}), registered as a {@link Stage} service with
 * {@code @PipelineStage(box = "MANGLE")}. <b>Called by</b> the bus.
 */
@ConsumerType
public interface PacketMangler extends Stage {
}
