package org.tunnelbus.openvpn.internal.reliable;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * The receiving half of the reliability layer of one key state (§2.2; {@code reliable.c
 * reliable_wont_break_sequentiality()}, {@code reliable_not_replay()}, {@code reliable_get_entry_sequenced()}).
 *
 * <ul>
 *   <li>An id in {@code [nextExpected, nextExpected + size)} that is not buffered yet is stored.</li>
 *   <li>An id below {@code nextExpected}, or already buffered, is a replay: not stored, but ACKed again
 *       (the peer evidently missed our ACK).</li>
 *   <li>Anything further ahead is dropped <em>without</em> an ACK, so that the peer resends it later.</li>
 *   <li>Messages come out strictly in id order.</li>
 * </ul>
 *
 * Because the window spans exactly {@code size} ids, id modulo size is a free slot for every storable id.
 * Not thread-safe.
 */
public final class ReliableReceiveWindow {
    /** {@code ssl_pkt.h TLS_RELIABLE_N_REC_BUFFERS}. */
    public static final int DEFAULT_SIZE = 12;

    /** What happened to an offered message; {@link #acked()} says whether it goes on the ACK list. */
    public enum Verdict {
        STORED(true),
        REPLAY(true),
        BEYOND_WINDOW(false);

        private final boolean acked;

        Verdict(boolean acked) {
            this.acked = acked;
        }

        public boolean acked() {
            return acked;
        }
    }

    private final Slot[] slots;
    private long nextExpected;

    private static final class Slot {
        boolean used;
        long messageId;
        Opcode opcode;
        byte[] data;
    }

    public ReliableReceiveWindow() {
        this(DEFAULT_SIZE);
    }

    public ReliableReceiveWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size);
        }
        slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot();
        }
    }

    /**
     * Offers a received message; copies the payload {@code [offset, offset+length)} of {@code buf} (absolute
     * indexes; {@code buf} may be null when the length is 0) if it is stored.
     */
    public Verdict offer(long messageId, Opcode opcode, ByteBuffer buf, int offset, int length) {
        if (!MessageIds.inRange(messageId, nextExpected, slots.length)) {
            // Below the window is a replay (re-ACK); beyond it would break sequentiality (no ACK).
            // Plain comparison as stock: message ids do not wrap within one key state in practice.
            return messageId < nextExpected ? Verdict.REPLAY : Verdict.BEYOND_WINDOW;
        }
        Slot s = slot(messageId);
        if (s.used) {
            return Verdict.REPLAY;
        }
        s.used = true;
        s.messageId = messageId;
        s.opcode = opcode;
        s.data = new byte[length];
        if (length > 0) {
            buf.get(offset, s.data);
        }
        return Verdict.STORED;
    }

    /** The next message in order, or null if it has not arrived yet. */
    public ReceivedMessage poll() {
        Slot s = slot(nextExpected);
        if (!s.used) {
            return null;
        }
        ReceivedMessage m = new ReceivedMessage(s.messageId, s.opcode, s.data);
        s.used = false;
        s.data = null;
        nextExpected = MessageIds.next(nextExpected);
        return m;
    }

    /** The id the next in-order message must have. */
    public long nextExpected() {
        return nextExpected;
    }

    /**
     * Expects {@code firstId} next, for a server that skipped the stateless reset exchange: the client's
     * reset (id 0) counts as received (§2.5).
     */
    public void skipTo(long firstId) {
        for (Slot s : slots) {
            s.used = false;
            s.data = null;
        }
        nextExpected = firstId & MessageIds.MASK;
    }

    /** Number of messages buffered out of order. */
    public int buffered() {
        return (int) Arrays.stream(slots).filter(s -> s.used).count();
    }

    private Slot slot(long messageId) {
        return slots[(int) (messageId % slots.length)];
    }
}
