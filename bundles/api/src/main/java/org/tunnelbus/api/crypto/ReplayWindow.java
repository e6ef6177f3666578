package org.tunnelbus.api.crypto;

/**
 * The receive-side replay protection of OpenVPN (§2.4, §6.3; {@code packet_id.c packet_id_test()},
 * {@code packet_id_add()}, {@code packet_id_reap()}), used for data-channel packet ids (short form, time
 * always 0) and for the (id, time) replay ids of tls-auth/tls-crypt (long form).
 *
 * <ul>
 *   <li>id 0 is never valid;</li>
 *   <li>for the same time value: an id above the highest seen is accepted; an older one only if it is
 *       within the last {@code seqBacktrack} ids and not seen yet, and not expired;</li>
 *   <li>a newer time value starts a new sequence; an older one is refused;</li>
 *   <li>an unseen older id expires once an id newer than it was seen more than {@code timeBacktrack}
 *       seconds ago (reaped at most every {@value #REAP_INTERVAL_SECONDS} s, as stock does).</li>
 * </ul>
 *
 * Ids are unsigned 32-bit values held in a {@code long}. Times are seconds.
 *
 * <p><b>State, not behaviour:</b> a data-channel key's window lives in the session
 * ({@link DataKeyState#replayWindow()}), so an updated or swapped crypto module keeps refusing replays of
 * packets its predecessor accepted (DESIGN invariant 4).
 *
 * <p><b>Threading:</b> not thread-safe. A window belongs to one key state (data) or one TLS session
 * (wrapper) and is used by one thread at a time: the data channel's by the receive thread of the session's
 * transport, the wrapper's by the session's control thread.
 *
 * @since 0.2.0 (moved here from the protocol module)
 */
public final class ReplayWindow {
    /** {@code packet_id.h DEFAULT_SEQ_BACKTRACK}. */
    public static final int DEFAULT_SEQ_BACKTRACK = 64;
    /** {@code packet_id.h DEFAULT_TIME_BACKTRACK}. */
    public static final int DEFAULT_TIME_BACKTRACK = 15;
    /** {@code packet_id.h SEQ_REAP_INTERVAL}. */
    public static final int REAP_INTERVAL_SECONDS = 5;

    // Sentinels that cannot collide with a real receive time (stock uses 0 and 1).
    private static final long UNSEEN = Long.MIN_VALUE;
    private static final long EXPIRED = Long.MIN_VALUE + 1;

    private final int seqBacktrack;
    private final int timeBacktrack;
    /** seen[(head + d) % capacity] = receive time of id (highestId - d), or a sentinel. */
    private final long[] seen;
    private int head;
    private int size;
    private long highestId;
    private long highestTime;
    private long lastReap = Long.MIN_VALUE;

    public ReplayWindow() {
        this(DEFAULT_SEQ_BACKTRACK, DEFAULT_TIME_BACKTRACK);
    }

    /** As {@code --replay-window n t}. */
    public ReplayWindow(int seqBacktrack, int timeBacktrack) {
        if (seqBacktrack < 1 || seqBacktrack > 65536 || timeBacktrack < 0 || timeBacktrack > 600) {
            throw new IllegalArgumentException("replay-window " + seqBacktrack + " " + timeBacktrack);
        }
        this.seqBacktrack = seqBacktrack;
        this.timeBacktrack = timeBacktrack;
        this.seen = new long[seqBacktrack];
    }

    /**
     * Tests an authenticated packet's id and, if it is fresh, records it. Call only after the packet
     * authenticated (stock checks replay after the tag, {@code crypto_check_replay()}).
     *
     * @param id         the packet id (unsigned 32 bit)
     * @param time       the replay-id time (long form), or 0 for short-form data packet ids
     * @param nowSeconds the local clock, for expiry
     * @return true if the packet is new; false for a replay (or id 0, or a time going backwards)
     */
    public boolean accept(long id, long time, long nowSeconds) {
        if (lastReap == Long.MIN_VALUE || lastReap + REAP_INTERVAL_SECONDS <= nowSeconds) {
            reap(nowSeconds);
        }
        if (!isFresh(id, time)) {
            return false;
        }
        record(id, time, nowSeconds);
        return true;
    }

    /** The highest id accepted so far with the current time value. */
    public long highestId() {
        return highestId;
    }

    private boolean isFresh(long id, long time) {
        if (id == 0) {
            return false;
        }
        if (time != highestTime) {
            return time > highestTime; // a newer time restarts the sequence, an older one is a replay
        }
        if (id > highestId) {
            return true;
        }
        long back = highestId - id;
        return back < size && seen[slot(back)] == UNSEEN;
    }

    private void record(long id, long time, long nowSeconds) {
        if (size == 0 || time > highestTime || id - seqBacktrack > highestId) {
            restart(id, time);
        }
        while (highestId < id) {
            push();
            highestId++;
        }
        long back = highestId - id;
        if (back < size) {
            seen[slot(back)] = nowSeconds;
        }
    }

    /** Starts a new sequence just below {@code id}, so that at most a window's worth of slots is pushed. */
    private void restart(long id, long time) {
        highestTime = time;
        highestId = Math.max(0, id - seqBacktrack);
        head = 0;
        size = 0;
    }

    private void push() {
        head = (head - 1 + seen.length) % seen.length;
        seen[head] = UNSEEN;
        size = Math.min(size + 1, seen.length);
    }

    /**
     * Expires the unseen ids behind the newest id that was seen more than {@code timeBacktrack} seconds
     * ago: reordering is only tolerated for that long.
     */
    private void reap(long nowSeconds) {
        if (timeBacktrack > 0) {
            boolean expire = false;
            for (int d = 0; d < size; d++) {
                long t = seen[slot(d)];
                if (t == EXPIRED) {
                    break;
                }
                if (!expire && t != UNSEEN && t + timeBacktrack < nowSeconds) {
                    expire = true;
                }
                if (expire) {
                    seen[slot(d)] = EXPIRED;
                }
            }
        }
        lastReap = nowSeconds;
    }

    private int slot(long back) {
        return (int) ((head + back) % seen.length);
    }

    int seqBacktrack() {
        return seqBacktrack;
    }
}
