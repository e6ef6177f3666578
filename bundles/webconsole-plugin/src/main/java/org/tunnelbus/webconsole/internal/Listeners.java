package org.tunnelbus.webconsole.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.tunnelbus.api.pipeline.CounterSource;

/**
 * The listeners (and client connections) the page shows, from their {@link CounterSource} services: name,
 * configuration PID, protocol, address, the SSL module they use for new sessions (their {@code tls.provider}
 * service property, i.e. their configuration) and their counters; and the SSL modules installed.
 */
final class Listeners {
    private final Map<CounterSource, Map<String, Object>> sources = new ConcurrentHashMap<>();
    private final Map<Object, String> tlsProviders = new ConcurrentHashMap<>();

    void add(CounterSource s, Map<String, Object> props) {
        sources.put(s, Map.copyOf(props));
    }

    void remove(CounterSource s) {
        sources.remove(s);
    }

    void addTlsProvider(Object service, String name) {
        if (name != null) {
            tlsProviders.put(service, name);
        }
    }

    void removeTlsProvider(Object service) {
        tlsProviders.remove(service);
    }

    Set<String> tlsProviders() {
        return new TreeSet<>(tlsProviders.values());
    }

    void write(JsonWriter w) {
        w.name("listeners").beginArray();
        sources.entrySet().stream().filter(e -> e.getValue().containsKey("tls.provider"))
                .sorted(java.util.Comparator.comparing(e -> e.getKey().name())).forEach(e -> listener(w, e.getKey(), e.getValue()));
        w.endArray();
        w.name("tlsProviders").beginArray();
        tlsProviders().forEach(w::value);
        w.endArray();
    }

    private static void listener(JsonWriter w, CounterSource s, Map<String, Object> p) {
        Map<String, Long> c;
        try {
            c = s.counters();
        } catch (RuntimeException e) {
            c = Map.of();
        }
        long drops = c.entrySet().stream().filter(e -> e.getKey().contains("drop.")).mapToLong(Map.Entry::getValue).sum();
        w.beginObject().field("name", s.name()).field("pid", String.valueOf(p.get("service.pid")))
                .field("proto", String.valueOf(p.getOrDefault("proto", "udp")))
                .field("address", p.getOrDefault("listen", p.getOrDefault("remote", "")) + ":" + p.getOrDefault("port", ""))
                .field("tlsProvider", String.valueOf(p.get("tls.provider")))
                .field("sessions", c.getOrDefault("sessions.opened", 0L) - c.getOrDefault("sessions.closed", 0L))
                .field("controlIn", c.getOrDefault("control.in", 0L)).field("drops", drops).endObject();
    }
}
