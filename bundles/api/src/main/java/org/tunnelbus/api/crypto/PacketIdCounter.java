package org.tunnelbus.openvpn.internal.replay;

/**
 * The send-side packet id (§2.4, §6.1, §6.3; {@code packet_id.c packet_id_send_update()}): incremented
 * before use, so the first packet carries 1. The long form adds a time value, fixed when the counter is
 * first used, which tls-auth/tls-crypt send as the second half of the replay id.
 *
 * <p>The short form (data channel) never wraps: at 0xFFFFFFFF it is exhausted, and from
 * 0xFF000000 on a renegotiation is due. The long form may wrap to a new time value once
 * the clock has moved on. Not thread-safe.
 */
public final class PacketIdCounter {
    /** {@code packet_id.h PACKET_ID_WRAP_TRIGGER}. */
    public static final long WRAP_TRIGGER = 0xFF000000L;
    public static final long MAX_ID = 0xFFFFFFFFL;
    /** Returned by {@link #next(long)} when no id is left. */
    public static final long EXHAUSTED = -1L;

    private final boolean longForm;
    private long id;
    private long time;
    private boolean started;

    private PacketIdCounter(boolean longForm, long lastId) {
        this.longForm = longForm;
        this.id = lastId;
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
     * @return the id, or {@link #EXHAUSTED} if it would roll over
     */
    public long next(long nowSeconds) {
        if (!started) {
            time = nowSeconds;
            started = true;
        }
        if (id == MAX_ID) {
            if (!longForm || nowSeconds <= time) {
                return EXHAUSTED;
            }
            time = nowSeconds;
            id = 0;
        }
        return ++id;
    }

    /** The time value sent with long-form ids (0 before first use). */
    public long time() {
        return time;
    }

    /** The last id handed out (0 before first use). */
    public long lastId() {
        return id;
    }

    /** Whether a renegotiation should start before the ids run out ({@code packet_id_close_to_wrapping()}). */
    public boolean closeToWrapping() {
        return id >= WRAP_TRIGGER;
    }

    public boolean isLongForm() {
        return longForm;
    }
}
