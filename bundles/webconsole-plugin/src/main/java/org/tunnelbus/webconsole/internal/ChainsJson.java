package org.tunnelbus.webconsole.internal;

import java.util.List;
import java.util.Map;

import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;

/**
 * Both chains as the page shows them: each slot in order with its provider bundle and service id (or
 * MISSING), its packet and byte counters, the packets it holds, and its drops by reason — from
 * {@link PacketBus#chain} and {@link PacketBus#counters}.
 */
final class ChainsJson {
    private ChainsJson() {
    }

    static void write(JsonWriter w, PacketBus bus) {
        Map<String, Long> counters = bus.counters();
        w.name("chains").beginObject();
        for (Direction d : Direction.values()) {
            w.name(d.key()).beginArray();
            for (StageInfo s : bus.chain(d)) {
                slot(w, d, s, counters);
            }
            w.endArray();
        }
        w.endObject();
    }

    private static void slot(JsonWriter w, Direction d, StageInfo s, Map<String, Long> counters) {
        String prefix = d.key() + "." + s.name() + ".";
        w.beginObject().field("name", s.name()).field("box", s.box().name()).field("order", s.order())
                .field("service", s.serviceId()).field("bundle", s.isMissing() ? "MISSING" : s.bundle())
                .field("packets", counters.getOrDefault(prefix + "packets", 0L))
                .field("bytes", counters.getOrDefault(prefix + "bytes", 0L))
                .field("held", counters.getOrDefault(prefix + "held", 0L));
        w.name("drops").beginObject();
        counters.forEach((k, v) -> {
            if (k.startsWith(prefix + "drop.") && v > 0) {
                w.field(k.substring(prefix.length() + "drop.".length()), v);
            }
        });
        w.endObject().endObject();
    }

    /** The stages of both chains, for a session's manglers. */
    static List<StageInfo> stages(PacketBus bus) {
        List<StageInfo> all = new java.util.ArrayList<>(bus.chain(Direction.OUTGOING));
        all.addAll(bus.chain(Direction.INCOMING));
        return all;
    }
}
