package org.tunnelbus.management.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.api.session.SessionState;

/** A minimal session for management tests (the real one lives in the core). */
final class FakeSession implements Session {
    private final String name;
    private final Map<SessionKey<?>, Object> values = new HashMap<>();

    FakeSession(String name) {
        this.name = name;
    }

    @Override public long id() { return name.hashCode(); }
    @Override public int peerId() { return 0; }
    @Override public String name() { return name; }
    @Override public void name(String n) { }
    @Override public InetSocketAddress remote() { return null; }
    @Override public void remote(InetSocketAddress a) { }
    @Override public SessionState state() { return SessionState.ACTIVE; }
    @Override public void state(SessionState s) { }
    @Override public Instant since() { return Instant.EPOCH; }
    @Override public <T> T get(SessionKey<T> key) { return key.type().cast(values.get(key)); }
    @Override public <T> void set(SessionKey<T> key, T value) { values.put(key, value); }
    @Override public <T> T context(SessionKey<T> key, Function<Session, T> f) {
        return key.type().cast(values.computeIfAbsent(key, k -> f.apply(this)));
    }
    @Override public void countIn(int bytes) { }
    @Override public void countOut(int bytes) { }
    @Override public long bytesIn() { return 0; }
    @Override public long bytesOut() { return 0; }
    @Override public String toString() { return name; }
}
