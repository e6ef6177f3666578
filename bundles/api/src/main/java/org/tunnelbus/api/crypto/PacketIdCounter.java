package org.tunnelbus.api.crypto;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The send-side packet id of OpenVPN (wire reference §2.4, §6.1, §6.3; {@code packet_id.c
 * packet_id_send_update()}): incremented before use, so the first packet carries 1. The long form adds a
 * time value, fixed when the counter is first used, which tls-auth/tls-crypt send as the second half of
 * the replay id.
 *
 * <p>The short form (data channel) never wraps: at 0xFFFFFFFF it is exhausted, and from
 * 0xFF000000 on a renegotiation is due. The long form may wrap to a new time value once
 * the clock has moved on.
 *
 * <p><b>State, not behaviour:</b> a data-channel key's counter lives in the session
 * ({@link DataKeyState#sendIds()}), so a crypto module that is updated or swapped continues the sequence
 * instead of restarting it (DESIGN invariant 4).
 *
 * <p><b>Threading:</b> the short form is thread-safe and lock-free (one compare-and-set per id), because
 * several I/O threads may seal packets of one session at once. The long form (control channel, one
 * thread per TLS session) is thread-safe through its monitor.
 *
 * @since 0.2.0 (moved here from the protocol module)
 */
public final class PacketIdCounter {
    /** {@code packet_id.h PACKET_ID_WRAP_TRIGGER}. */
    public static final long WRAP_TRIGGER = 0xFF000000L;
    public static final long MAX_ID = 0xFFFFFFFFL;
    /** Returned by {@link #next(long)} when no id is left. */
    public static final long EXHAUSTED = -1L;

    private final boolean longForm;
    private final AtomicLong id;
    private volatile long time;
    private boolean started;

    private PacketIdCounter(boolean longForm, long lastId) {
        if (lastId < 0 || lastId > MAX_ID) {
            throw new IllegalArgumentException("packet id " + lastId + " outside 0..0xFFFFFFFF");
        }
        this.longForm = longForm;
        this.id = new AtomicLong(lastId);
    }

    /** A data-channel counter: ids from 1, no time. */
    public static PacketIdCounter shortForm() {
        return new PacketIdCounter(false, 0);
    }

    /** A data-channel counter whose next id is {@code lastId + 1} (a restored session, or a test near the end). */
    public static PacketIdCounter shortFormAfter(long lastId) {
        return new PacketIdCounter(false, lastId);
    }

    /** A tls-auth/tls-crypt replay-id counter: ids from 1, time fixed at first use. */
    public static PacketIdCounter longForm() {
        return new PacketIdCounter(true, 0);
    }

    /**
     * A long-form counter whose first id is {@code lastId + 1}, e.g. {@code 0x0f000000} for a
     * tls-crypt-v2 client announcing early negotiation (§2.6).
     */
    public static PacketIdCounter longFormAfter(long lastId) {
        return new PacketIdCounter(true, lastId);
    }

    /**
     * Takes the next id.
     *
     * @param nowSeconds the clock (long form only; ignored by the short form)
     * @return the id, or {@link #EXHAUSTED} if it would roll over
     */
    public long next(long nowSeconds) {
        if (longForm) {
            return nextLong(nowSeconds);
        }
        long current;
        do {
            current = id.get();
            if (current == MAX_ID) {
                return EXHAUSTED;
            }
        } while (!id.compareAndSet(current, current + 1));
        return current + 1;
    }

    private synchronized long nextLong(long nowSeconds) {
        if (!started) {
            time = nowSeconds;
            started = true;
        }
        long current = id.get();
        if (current == MAX_ID) {
            if (nowSeconds <= time) {
                return EXHAUSTED;
            }
            time = nowSeconds;
            current = 0;
        }
        id.set(current + 1);
        return current + 1;
    }

    /** The time value sent with long-form ids (0 before first use and for the short form). */
    public long time() {
        return time;
    }

    /** The last id handed out (0 before first use). */
    public long lastId() {
        return id.get();
    }

    /** Whether a renegotiation should start before the ids run out ({@code packet_id_close_to_wrapping()}). */
    public boolean closeToWrapping() {
        return id.get() >= WRAP_TRIGGER;
    }

    public boolean isLongForm() {
        return longForm;
    }

    @Override
    public String toString() {
        return "PacketIdCounter[" + (longForm ? "long" : "short") + ", last " + id.get() + "]";
    }
}
