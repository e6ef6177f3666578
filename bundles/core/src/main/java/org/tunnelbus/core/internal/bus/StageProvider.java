package org.tunnelbus.core.internal.bus;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Constants;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;

/**
 * One registered {@link Stage} service with its parsed whiteboard properties ({@link PipelineStage}).
 * Immutable; a property change makes a new one.
 */
final class StageProvider {
    final Stage stage;
    final String name;
    final Box box;
    final Set<Direction> directions;
    /** Explicit order, or -1 for the box's default. */
    final int order;
    final int ranking;
    final long serviceId;
    final String bundle;
    /** The raw properties, for {@code stage.filter}. */
    final Map<String, Object> props;

    private StageProvider(Stage stage, String name, Box box, Set<Direction> directions, int order, int ranking,
                          long serviceId, String bundle, Map<String, Object> props) {
        this.stage = stage;
        this.name = name;
        this.box = box;
        this.directions = directions;
        this.order = order;
        this.ranking = ranking;
        this.serviceId = serviceId;
        this.bundle = bundle;
        this.props = props;
    }

    /** Position in the chain of {@code d}. */
    int order(Direction d) {
        return order >= 0 ? order : box.order(d);
    }

    /** True when this provider beats {@code other} for the same slot: higher ranking, then lower service id. */
    boolean beats(StageProvider other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }

    /**
     * Parses the service properties of a stage.
     *
     * @param syntheticId used as {@code service.id} when the properties carry none (outside OSGi)
     * @throws IllegalArgumentException with a message naming the bad property
     */
    static StageProvider of(Stage stage, Map<String, ?> raw, long syntheticId) {
        Map<String, Object> props = new HashMap<>(raw);
        Object n = props.get(PipelineStage.NAME);
        if (!(n instanceof String name) || !BusConfigValidator.SLOT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(PipelineStage.NAME + "='" + n + "' (expected a kebab-case slot name)");
        }
        if (name.equals(Bus.SINK_COUNTER)) {
            throw new IllegalArgumentException(PipelineStage.NAME + "='sink' is reserved for the sink counters");
        }
        Object b = props.get(PipelineStage.BOX);
        Box box = Box.OTHER;
        if (b != null) {
            box = Box.of(b.toString()); // throws with "unknown box"
        }
        Set<Direction> dirs = EnumSet.noneOf(Direction.class);
        Object d = props.get(PipelineStage.DIRECTION);
        if (d == null) {
            dirs.addAll(EnumSet.allOf(Direction.class));
        } else {
            for (Object v : values(d)) {
                dirs.add(Direction.of(v.toString()));
            }
        }
        int order = -1;
        Object o = props.get(PipelineStage.ORDER);
        if (o instanceof Number num) {
            order = num.intValue();
        } else if (o instanceof String s && !s.isBlank()) {
            try {
                order = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PipelineStage.ORDER + "='" + s + "' (expected a number)");
            }
        }
        if (order < -1) {
            throw new IllegalArgumentException(PipelineStage.ORDER + "=" + order + " (expected 0 or more, or -1)");
        }
        // OSGi: a service.ranking that is not an Integer counts as 0
        int ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
        long id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : syntheticId;
        Object bundle = props.get(Bus.BUNDLE_PROPERTY);
        return new StageProvider(stage, name, box, Set.copyOf(dirs), order, ranking, id,
                bundle == null ? "" : bundle.toString(), Map.copyOf(nonNull(props)));
    }

    private static Map<String, Object> nonNull(Map<String, Object> props) {
        props.values().removeIf(v -> v == null);
        return props;
    }

    static Iterable<?> values(Object v) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v.getClass().isArray()) {
            Object[] out = new Object[Array.getLength(v)];
            for (int i = 0; i < out.length; i++) {
                out[i] = Array.get(v, i);
            }
            return java.util.Arrays.asList(out);
        }
        return java.util.List.of(v);
    }

    @Override
    public String toString() {
        return name + " (service " + serviceId + (bundle.isEmpty() ? "" : ", " + bundle) + ", ranking " + ranking + ")";
    }
}
