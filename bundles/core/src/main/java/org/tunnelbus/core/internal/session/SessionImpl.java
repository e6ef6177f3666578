package org.tunnelbus.core.internal.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.api.session.SessionState;

/**
 * One peer's session. Values live in an array indexed by {@link SessionKey#index()}: {@link #get} is one
 * volatile read, a bounds check and an acquire load, with no hashing and no lock. Writers take the
 * session's monitor; the array grows copy-on-write.
 */
final class SessionImpl implements Session {
    private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final long id;
    private final int peerId;
    private final Instant since = Instant.now();
    private volatile String name = "";
    private volatile InetSocketAddress remote;
    private volatile SessionState state = SessionState.HANDSHAKE;
    private volatile Object[] values = new Object[16];
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** Hears state changes; the registry passes them on to the {@code SessionListener}s. */
    interface StateObserver {
        void changed(SessionImpl session, SessionState previous);
    }

    private final StateObserver observer;

    SessionImpl(long id, int peerId, InetSocketAddress remote) {
        this(id, peerId, remote, (s, p) -> { });
    }

    SessionImpl(long id, int peerId, InetSocketAddress remote, StateObserver observer) {
        this.id = id;
        this.peerId = peerId;
        this.remote = remote;
        this.observer = observer;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public int peerId() {
        return peerId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void name(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public void remote(InetSocketAddress address) {
        this.remote = address;
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public void state(SessionState state) {
        Objects.requireNonNull(state, "state");
        SessionState previous;
        synchronized (this) { // the previous state is exact even when two threads change it at once
            previous = this.state;
            this.state = state;
        }
        if (previous != state) {
            observer.changed(this, previous);
        }
    }

    @Override
    public Instant since() {
        return since;
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        Object[] v = values;
        int i = key.index();
        return i < v.length ? key.type().cast(ELEMENTS.getAcquire(v, i)) : null;
    }

    @Override
    public synchronized <T> void set(SessionKey<T> key, T value) {
        if (value != null && !key.type().isInstance(value)) {
            throw new ClassCastException(key + " holds " + key.type().getName() + ", not " + value.getClass().getName());
        }
        int i = key.index();
        Object[] v = values;
        if (i >= v.length) {
            if (value == null) {
                return;
            }
            v = Arrays.copyOf(v, Math.max(i + 1, v.length * 2));
            ELEMENTS.setRelease(v, i, value);
            values = v;
            return;
        }
        ELEMENTS.setRelease(v, i, value);
    }

    /**
     * Runs {@code factory} at most once per key and value lifetime, under this session's monitor (it must
     * not wait for another session's monitor).
     */
    @Override
    public <T> T context(SessionKey<T> key, Function<Session, T> factory) {
        T v = get(key);
        if (v != null) {
            return v;
        }
        synchronized (this) {
            v = get(key);
            if (v == null) {
                v = factory.apply(this);
                set(key, v);
            }
            return v;
        }
    }

    @Override
    public void countIn(int bytes) {
        bytesIn.add(bytes);
    }

    @Override
    public void countOut(int bytes) {
        bytesOut.add(bytes);
    }

    @Override
    public long bytesIn() {
        return bytesIn.sum();
    }

    @Override
    public long bytesOut() {
        return bytesOut.sum();
    }

    @Override
    public String toString() {
        return "Session[" + id + ", peer-id " + peerId + (name.isEmpty() ? "" : ", " + name) + ", " + remote + ", "
                + state + "]";
    }
}
