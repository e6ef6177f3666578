package org.tunnelbus.openvpn.internal.reliable;

import java.nio.ByteBuffer;

import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * The sending half of the reliability layer of one key state (§2.2; {@code reliable.c}: 
 * {@code reliable_get_buf_output_sequenced()}, {@code reliable_mark_active_outgoing()},
 * {@code reliable_send()}, {@code reliable_send_purge()}).
 *
 * <ul>
 *   <li>Message ids start at 0 and go up by one per new message; a retransmission reuses its id.</li>
 *   <li>At most {@code size} (6) messages are in flight, and a new one is refused while the oldest
 *       unacknowledged id is {@code size} or more behind the next id.</li>
 *   <li>A message is sent at once, then again after the timeout, which doubles on every resend; it is
 *       also resent at once when ACKs for {@value #ACKS_BEFORE_EARLY_RESEND} later ids have come in.</li>
 * </ul>
 *
 * Times are milliseconds from any monotonic source. Not thread-safe.
 */
public final class ReliableSendWindow {
    /** {@code ssl_pkt.h TLS_RELIABLE_N_SEND_BUFFERS}. */
    public static final int DEFAULT_SIZE = 6;
    /** {@code reliable.h N_ACK_RETRANSMIT}. */
    public static final int ACKS_BEFORE_EARLY_RESEND = 3;
    /** {@code --tls-timeout} default. */
    public static final long DEFAULT_INITIAL_TIMEOUT_MILLIS = 2000;

    private final Entry[] entries;
    private final long initialTimeoutMillis;
    private long nextMessageId;

    /** A message waiting for its ACK. Read-only for callers. */
    public static final class Entry {
        private boolean active;
        private long messageId;
        private Opcode opcode;
        private byte[] data = new byte[0];
        private int length;
        private long nextTry;
        private long timeout;
        private int laterAcks;

        public long messageId() {
            return messageId;
        }

        public Opcode opcode() {
            return opcode;
        }

        /** The payload as a read-only view. */
        public ByteBuffer payload() {
            return ByteBuffer.wrap(data, 0, length).asReadOnlyBuffer();
        }

        public int payloadLength() {
            return length;
        }
    }

    public ReliableSendWindow() {
        this(DEFAULT_SIZE, DEFAULT_INITIAL_TIMEOUT_MILLIS);
    }

    public ReliableSendWindow(int size, long initialTimeoutMillis) {
        if (size < 1 || initialTimeoutMillis < 1) {
            throw new IllegalArgumentException("size " + size + ", timeout " + initialTimeoutMillis);
        }
        this.entries = new Entry[size];
        for (int i = 0; i < size; i++) {
            entries[i] = new Entry();
        }
        this.initialTimeoutMillis = initialTimeoutMillis;
    }

    /** Whether {@link #queue} would accept a message now. */
    public boolean canQueue() {
        Entry oldest = oldestActive();
        if (oldest == null) {
            return true;
        }
        return MessageIds.distance(oldest.messageId, nextMessageId) < entries.length && freeEntry() != null;
    }

    /**
     * Takes a copy of {@code payload}'s remaining bytes as the next message (the position is left as it is).
     *
     * @return the message id given to it
     * @throws IllegalStateException if the window is full ({@link #canQueue()} is false)
     */
    public long queue(Opcode opcode, ByteBuffer payload) {
        if (!opcode.hasMessageId()) {
            throw new IllegalArgumentException(opcode + " is not sent reliably");
        }
        if (!canQueue()) {
            throw new IllegalStateException("send window full");
        }
        Entry e = freeEntry();
        int n = payload.remaining();
        if (e.data.length < n) {
            e.data = new byte[n];
        }
        payload.get(payload.position(), e.data, 0, n);
        e.length = n;
        e.opcode = opcode;
        e.messageId = nextMessageId;
        e.active = true;
        e.nextTry = Long.MIN_VALUE; // due at once
        e.timeout = initialTimeoutMillis;
        e.laterAcks = 0;
        nextMessageId = MessageIds.next(nextMessageId);
        return e.messageId;
    }

    /**
     * Handles one ACK from the peer: frees the acked message and counts it against older ones, which are
     * then probably lost. ACKs for unknown or purged ids are harmless (stock resends old ACKs).
     */
    public void acknowledge(long messageId) {
        for (Entry e : entries) {
            if (!e.active) {
                continue;
            }
            if (e.messageId == messageId) {
                e.active = false;
            } else if (MessageIds.before(e.messageId, messageId)) {
                e.laterAcks++;
            }
        }
    }

    /**
     * The message to (re)transmit now, if any: the lowest due id. Taking it schedules its next resend
     * (timeout doubled) as stock does on every send.
     *
     * @return the entry, valid until the next call on this window; or null if nothing is due
     */
    public Entry nextDue(long nowMillis) {
        Entry best = null;
        for (Entry e : entries) {
            if (e.active && isDue(e, nowMillis) && (best == null || MessageIds.before(e.messageId, best.messageId))) {
                best = e;
            }
        }
        if (best != null) {
            best.nextTry = nowMillis + best.timeout;
            best.timeout = best.timeout < Long.MAX_VALUE / 4 ? best.timeout * 2 : best.timeout;
            best.laterAcks = 0;
        }
        return best;
    }

    private static boolean isDue(Entry e, long nowMillis) {
        return e.laterAcks >= ACKS_BEFORE_EARLY_RESEND || nowMillis >= e.nextTry;
    }

    /**
     * When the next (re)transmission falls due (a time in the past if one is due already), or
     * {@link Long#MAX_VALUE} if nothing is in flight.
     */
    public long nextDueTime() {
        long t = Long.MAX_VALUE;
        for (Entry e : entries) {
            if (e.active) {
                t = Math.min(t, e.laterAcks >= ACKS_BEFORE_EARLY_RESEND ? Long.MIN_VALUE : e.nextTry);
            }
        }
        return t;
    }

    /** No message waits for an ACK (stock moves S_PRE_START to S_START on this). */
    public boolean isEmpty() {
        return oldestActive() == null;
    }

    public int inFlight() {
        int n = 0;
        for (Entry e : entries) {
            n += e.active ? 1 : 0;
        }
        return n;
    }

    /** The id the next queued message will get. */
    public long nextMessageId() {
        return nextMessageId;
    }

    /**
     * Starts message ids at {@code firstId} instead of 0, for a server that answered the reset
     * statelessly: its own reset (id 0) counts as sent and acknowledged (§2.5).
     */
    public void skipTo(long firstId) {
        if (!isEmpty()) {
            throw new IllegalStateException("messages in flight");
        }
        nextMessageId = firstId & MessageIds.MASK;
    }

    private Entry oldestActive() {
        Entry oldest = null;
        for (Entry e : entries) {
            if (e.active && (oldest == null || MessageIds.before(e.messageId, oldest.messageId))) {
                oldest = e;
            }
        }
        return oldest;
    }

    private Entry freeEntry() {
        for (Entry e : entries) {
            if (!e.active) {
                return e;
            }
        }
        return null;
    }
}
