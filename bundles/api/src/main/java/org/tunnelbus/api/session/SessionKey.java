package org.tunnelbus.api.session;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for a value kept in a {@link Session}. Keys compare by identity and carry a small index so
 * that a session finds the value in an array, without hashing, on the data path.
 *
 * <p><b>Two uses.</b> State keys are well-known constants, defined once where the state's type is defined,
 * e.g. the data-channel keys of a session; any module may read them. Context keys hold a module's
 * rebuildable per-session context (a {@code Cipher} initialised from the session's key material): a module
 * creates its context keys when its component activates, so an upgraded or swapped module starts with empty
 * contexts and rebuilds them from the session's state (DESIGN invariant 4).
 *
 * @param <T> the type of the value
 */
public final class SessionKey<T> {
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    private final String name;
    private final Class<T> type;
    private final int index;

    private SessionKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.index = NEXT_INDEX.getAndIncrement();
    }

    /** A new key; call it once per key (a constant or a component field), never per packet. */
    public static <T> SessionKey<T> of(String name, Class<T> type) {
        return new SessionKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** Dense index, for the session's value array. */
    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return "SessionKey[" + name + "]";
    }
}
