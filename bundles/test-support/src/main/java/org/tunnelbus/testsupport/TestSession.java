package org.tunnelbus.testsupport;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.api.session.SessionState;

/**
 * A plain in-memory {@link Session} for unit tests of modules that read or write session state without a
 * core registry (routing, handshake, management). Values in a map; not for the data path's speed.
 */
public final class TestSession implements Session {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final ConcurrentHashMap<SessionKey<?>, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final Instant since = Instant.now();
    private volatile String name;
    private volatile InetSocketAddress remote;
    private volatile SessionState state = SessionState.ACTIVE;
    private final int peerId;

    public TestSession(String name) {
        this(name, -1);
    }

    public TestSession(String name, int peerId) {
        this.name = name;
        this.peerId = peerId;
    }

    @Override public long id() { return id; }
    @Override public int peerId() { return peerId; }
    @Override public String name() { return name; }
    @Override public void name(String n) { name = n; }
    @Override public InetSocketAddress remote() { return remote; }
    @Override public void remote(InetSocketAddress a) { remote = a; }
    @Override public SessionState state() { return state; }
    @Override public void state(SessionState s) { state = s; }
    @Override public Instant since() { return since; }

    @Override
    public <T> T get(SessionKey<T> key) {
        return key.type().cast(values.get(key));
    }

    @Override
    public <T> void set(SessionKey<T> key, T value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    @Override
    public <T> T context(SessionKey<T> key, Function<Session, T> factory) {
        return key.type().cast(values.computeIfAbsent(key, k -> factory.apply(this)));
    }

    @Override public void countIn(int bytes) { in.addAndGet(bytes); }
    @Override public void countOut(int bytes) { out.addAndGet(bytes); }
    @Override public long bytesIn() { return in.get(); }
    @Override public long bytesOut() { return out.get(); }

    @Override
    public String toString() {
        return "TestSession[" + name + "]";
    }
}
