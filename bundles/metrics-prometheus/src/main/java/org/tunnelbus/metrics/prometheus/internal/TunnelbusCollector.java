package org.tunnelbus.metrics.prometheus.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/**
 * Tunnelbus's metrics, read from the api at each scrape (never on the data path):
 * <ul>
 * <li>{@code tunnelbus_sessions{state}} — live sessions by state; {@code tunnelbus_listener_sessions{listener}} —
 * sessions per listener;</li>
 * <li>{@code tunnelbus_stage_packets_total}, {@code tunnelbus_stage_bytes_total} {@code {direction,stage}} — every
 * slot of both chains (bytes and packets per direction: the first slot of a direction counts what enters it);
 * {@code tunnelbus_stage_held_total}; {@code tunnelbus_drops_total{direction,stage,reason}};</li>
 * <li>{@code tunnelbus_listener_packets_total{listener,direction}} — the listener's socket;
 * {@code tunnelbus_listener_drops_total{listener,reason}};</li>
 * <li>{@code tunnelbus_handshakes_total{outcome}} — established, refused, failed.</li>
 * </ul>
 */
final class TunnelbusCollector implements MultiCollector {
    private static final Pattern STAGE = Pattern.compile("^(outgoing|incoming)\\.([^.]+)\\.(packets|bytes|held|drop\\.(.+))$");

    private final Supplier<Collection<Session>> sessions;
    private final PacketBus bus;
    private final Supplier<Collection<CounterSource>> sources;
    private final HandshakeOutcomes handshakes;

    TunnelbusCollector(Supplier<Collection<Session>> sessions, PacketBus bus, Supplier<Collection<CounterSource>> sources,
            HandshakeOutcomes handshakes) {
        this.sessions = sessions;
        this.bus = bus;
        this.sources = sources;
        this.handshakes = handshakes;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(sessionsByState());
        stages(out);
        listeners(out);
        CounterSnapshot.Builder hs = CounterSnapshot.builder().name("tunnelbus_handshakes")
                .help("Handshakes by how they ended: established, refused, failed");
        handshakes.snapshot().forEach((outcome, n) -> hs.dataPoint(counter(n, "outcome", outcome)));
        out.add(hs.build());
        return new MetricSnapshots(out);
    }

    private GaugeSnapshot sessionsByState() {
        Map<SessionState, Integer> byState = new EnumMap<>(SessionState.class);
        for (SessionState st : SessionState.values()) {
            byState.put(st, 0);
        }
        sessions.get().forEach(s -> byState.merge(s.state(), 1, Integer::sum));
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("tunnelbus_sessions").help("Live sessions by state");
        byState.forEach((st, n) -> g.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n)
                .labels(Labels.of("state", st.name().toLowerCase(java.util.Locale.ROOT))).build()));
        return g.build();
    }

    private void stages(List<MetricSnapshot> out) {
        CounterSnapshot.Builder packets = CounterSnapshot.builder().name("tunnelbus_stage_packets")
                .help("Packets through each slot of the chains");
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("tunnelbus_stage_bytes")
                .help("Bytes through each slot of the chains");
        CounterSnapshot.Builder held = CounterSnapshot.builder().name("tunnelbus_stage_held")
                .help("Packets held while a slot's provider was swapped");
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("tunnelbus_drops")
                .help("Packets dropped by the chains, by slot and reason");
        for (Map.Entry<String, Long> e : bus.counters().entrySet()) {
            Matcher m = STAGE.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            String[] labels = {"direction", m.group(1), "stage", m.group(2)};
            switch (m.group(3)) {
                case "packets" -> packets.dataPoint(counter(e.getValue(), labels));
                case "bytes" -> bytes.dataPoint(counter(e.getValue(), labels));
                case "held" -> held.dataPoint(counter(e.getValue(), labels));
                default -> drops.dataPoint(counter(e.getValue(), labels[0], labels[1], labels[2], labels[3], "reason", m.group(4)));
            }
        }
        out.add(packets.build());
        out.add(bytes.build());
        out.add(held.build());
        out.add(drops.build());
    }

    private void listeners(List<MetricSnapshot> out) {
        GaugeSnapshot.Builder live = GaugeSnapshot.builder().name("tunnelbus_listener_sessions").help("Sessions per listener");
        CounterSnapshot.Builder packets = CounterSnapshot.builder().name("tunnelbus_listener_packets")
                .help("Packets through a listener's socket, by direction");
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("tunnelbus_listener_drops")
                .help("Packets a listener dropped, by reason");
        for (CounterSource s : sources.get()) {
            Map<String, Long> c;
            try {
                c = s.counters();
            } catch (RuntimeException e) {
                continue;
            }
            String name = s.name();
            if (c.containsKey("sessions.opened")) {
                live.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(c.get("sessions.opened") - c.getOrDefault("sessions.closed", 0L)).labels(Labels.of("listener", name)).build());
            }
            c.forEach((k, v) -> {
                if (k.equals("transport.packets.in") || k.equals("transport.packets.out")) {
                    packets.dataPoint(counter(v, "listener", name, "direction", k.endsWith(".in") ? "in" : "out"));
                } else if (k.startsWith("drop.") || k.startsWith("transport.drop.") || k.startsWith("link.drop.")) {
                    drops.dataPoint(counter(v, "listener", name, "reason",
                            k.startsWith("drop.") ? k.substring("drop.".length()) : k.replace(".drop.", ":")));
                }
            });
        }
        out.add(live.build());
        out.add(packets.build());
        out.add(drops.build());
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(long value, String... labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
