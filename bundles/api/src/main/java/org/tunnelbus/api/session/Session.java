package org.tunnelbus.api.session;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One peer's tunnel: the state that outlives any module (DESIGN invariant 4). Keys, packet-id counters,
 * replay windows, negotiated options and the peer's address live here, so that a module that is
 * upgraded or swapped takes over live sessions by rebuilding its context from this state.
 *
 * <p><b>Implemented by</b> the core ({@link SessionRegistry} creates sessions). <b>Called by</b> every module
 * on the data path and the control channel. Values are published safely between threads; a value that
 * is itself mutable (a replay window) documents its own threading.
 */
@ProviderType
public interface Session {
    /** Unique for the life of the process. */
    long id();

    /** The 24-bit peer-id carried in P_DATA_V2 packets, or -1 before one is assigned. */
    int peerId();

    /** The authenticated name (certificate CN or username), or "" before authentication. */
    String name();

    void name(String name);

    /** The peer's current transport address; changes when a peer floats. */
    InetSocketAddress remote();

    void remote(InetSocketAddress address);

    SessionState state();

    void state(SessionState state);

    /** When the session was created. */
    Instant since();

    /** The value for {@code key}, or null. */
    <T> T get(SessionKey<T> key);

    /** Stores (or with null removes) a value. */
    <T> void set(SessionKey<T> key, T value);

    /**
     * The value for {@code key}, built by {@code factory} from this session the first time. Used for module
     * contexts that are rebuilt after a module swap.
     */
    <T> T context(SessionKey<T> key, Function<Session, T> factory);

    /** Counts payload bytes received from the peer (after decryption). */
    void countIn(int bytes);

    /** Counts payload bytes sent to the peer (before encryption). */
    void countOut(int bytes);

    long bytesIn();

    long bytesOut();
}
