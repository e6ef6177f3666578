package org.tunnelbus.core.internal.bus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Filter;
import org.tunnelbus.api.pipeline.Direction;

/**
 * A validated configuration of the bus (PID {@value BusConfig#PID}); immutable. Build it with
 * {@link BusConfigValidator}, or {@link #defaults()} / the withers in tests.
 *
 * @param stageFilter      LDAP filter text a stage's properties must match, "" for every stage
 * @param filter           the parsed {@code stageFilter}, or null when empty
 * @param requiredOutgoing slot names required in the OUTGOING chain
 * @param requiredIncoming slot names required in the INCOMING chain
 * @param holdGraceMs      how long a slot that lost its provider holds packets
 * @param holdMaxPackets   bound of one slot's hold queue
 * @param poolPackets      packets in the pool
 * @param poolBufferSize   data bytes per packet (behind the headroom)
 * @param poolHeadroom     minimum headroom per packet (raised to what the stages declare)
 * @param leakCheck        record allocation sites of packets
 */
public record BusSettings(String stageFilter, Filter filter, Set<String> requiredOutgoing, Set<String> requiredIncoming,
                          long holdGraceMs, int holdMaxPackets, int poolPackets, int poolBufferSize, int poolHeadroom,
                          boolean leakCheck) {
    public static final long DEFAULT_HOLD_GRACE_MS = 1500;
    public static final int DEFAULT_HOLD_MAX_PACKETS = 65536;
    public static final int DEFAULT_POOL_PACKETS = 16384;
    public static final int DEFAULT_POOL_BUFFER_SIZE = 2048;
    public static final int DEFAULT_POOL_HEADROOM = 128;

    public BusSettings {
        requiredOutgoing = Set.copyOf(requiredOutgoing);
        requiredIncoming = Set.copyOf(requiredIncoming);
    }

    public static BusSettings defaults() {
        return new BusSettings("", null, Set.of(), Set.of(), DEFAULT_HOLD_GRACE_MS, DEFAULT_HOLD_MAX_PACKETS,
                DEFAULT_POOL_PACKETS, DEFAULT_POOL_BUFFER_SIZE, DEFAULT_POOL_HEADROOM, false);
    }

    /** True when {@code name} is required in {@code direction} ({@code required.stages}). */
    public boolean required(Direction direction, String name) {
        return required(direction).contains(name);
    }

    public Set<String> required(Direction direction) {
        return direction == Direction.OUTGOING ? requiredOutgoing : requiredIncoming;
    }

    /** True when a stage with these service properties may serve (matches {@code stage.filter}). */
    public boolean matches(Map<String, ?> props) {
        return filter == null || filter.matches(props);
    }

    /** {@code required.stages} as written: {@code outgoing:NAME} / {@code incoming:NAME}. */
    public List<String> requiredStages() {
        Set<String> all = new TreeSet<>();
        requiredOutgoing.forEach(n -> all.add("outgoing:" + n));
        requiredIncoming.forEach(n -> all.add("incoming:" + n));
        return List.copyOf(all);
    }

    public BusSettings withHoldGraceMs(long ms) {
        return new BusSettings(stageFilter, filter, requiredOutgoing, requiredIncoming, ms, holdMaxPackets,
                poolPackets, poolBufferSize, poolHeadroom, leakCheck);
    }

    public BusSettings withHoldMaxPackets(int max) {
        return new BusSettings(stageFilter, filter, requiredOutgoing, requiredIncoming, holdGraceMs, max,
                poolPackets, poolBufferSize, poolHeadroom, leakCheck);
    }

    public BusSettings withPool(int packets, int bufferSize, int headroom) {
        return new BusSettings(stageFilter, filter, requiredOutgoing, requiredIncoming, holdGraceMs, holdMaxPackets,
                packets, bufferSize, headroom, leakCheck);
    }

    public BusSettings withLeakCheck(boolean on) {
        return new BusSettings(stageFilter, filter, requiredOutgoing, requiredIncoming, holdGraceMs, holdMaxPackets,
                poolPackets, poolBufferSize, poolHeadroom, on);
    }

    public BusSettings withRequired(Set<String> outgoing, Set<String> incoming) {
        return new BusSettings(stageFilter, filter, outgoing, incoming, holdGraceMs, holdMaxPackets,
                poolPackets, poolBufferSize, poolHeadroom, leakCheck);
    }

    public BusSettings withFilter(String text, Filter parsed) {
        return new BusSettings(text, parsed, requiredOutgoing, requiredIncoming, holdGraceMs, holdMaxPackets,
                poolPackets, poolBufferSize, poolHeadroom, leakCheck);
    }
}
