package org.tunnelbus.openvpn.internal.link;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The running services of one kind, each with the whiteboard name a listener or client chooses it by (the
 * {@code tunnelbus.tls.provider} of a TLS engine, the {@code tunnelbus.transport.protocol} of a socket module, the
 * {@code tunnelbus.handshake.mode} of a configuration handshake, the {@code tunnelbus.auth.scheme} of an
 * authenticator) and its ranking. Bound and unbound by DS on any thread; read lock-free.
 *
 * @param <S> the service type
 */
public final class NamedServices<S> {
    private record Entry<S>(S service, String name, int ranking) {
    }

    private final String nameProperty;
    private final List<Entry<S>> entries = new CopyOnWriteArrayList<>();

    /** @param nameProperty the service property that names each service */
    public NamedServices(String nameProperty) {
        this.nameProperty = nameProperty;
    }

    /** @return the service's name */
    public String bind(S service, Map<String, ?> properties) {
        String name = string(properties.get(nameProperty));
        entries.add(new Entry<>(service, name, properties.get("service.ranking") instanceof Integer i ? i : 0));
        return name;
    }

    public void unbind(S service) {
        entries.removeIf(e -> e.service() == service);
    }

    /** The highest-ranked service named {@code name}, or null if none runs. */
    public S best(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).max(Comparator.comparingInt(Entry::ranking))
                .map(Entry::service).orElse(null);
    }

    public boolean contains(S service) {
        return entries.stream().anyMatch(e -> e.service() == service);
    }

    /** Each service with its name, in the order they were bound. */
    public void forEach(BiConsumer<String, S> action) {
        entries.forEach(e -> action.accept(e.name(), e.service()));
    }

    private static String string(Object o) {
        return o instanceof String[] a ? (a.length == 0 ? "" : a[0]) : o == null ? "" : o.toString();
    }
}
