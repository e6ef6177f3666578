package org.tunnelbus.core.internal.bus;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;

/** One registered whiteboard {@link PacketSink} with the directions it terminates. Immutable. */
final class SinkProvider {
    final PacketSink sink;
    final Set<Direction> directions;
    final int ranking;
    final long serviceId;

    private SinkProvider(PacketSink sink, Set<Direction> directions, int ranking, long serviceId) {
        this.sink = sink;
        this.directions = directions;
        this.ranking = ranking;
        this.serviceId = serviceId;
    }

    boolean beats(SinkProvider other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }

    /** @throws IllegalArgumentException when {@value PacketSink#DIRECTION} is missing or wrong */
    static SinkProvider of(PacketSink sink, Map<String, ?> props, long syntheticId) {
        Object d = props.get(PacketSink.DIRECTION);
        if (d == null) {
            throw new IllegalArgumentException(PacketSink.DIRECTION + " is missing (expected outgoing or incoming)");
        }
        Set<Direction> dirs = EnumSet.noneOf(Direction.class);
        for (Object v : StageProvider.values(d)) {
            dirs.add(Direction.of(v.toString()));
        }
        int ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : syntheticId;
        return new SinkProvider(sink, Set.copyOf(dirs), ranking, id);
    }

    @Override
    public String toString() {
        return sink + " (service " + serviceId + ", ranking " + ranking + ")";
    }
}
