package org.tunnelbus.api.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.tunnelbus.api.session.SessionKey;

/**
 * The data-channel keys of a session: an immutable snapshot kept in the session under {@link #KEY}, replaced
 * as a whole (copy on write) by the control channel when a key is added, promoted or retired.
 *
 * <ul>
 *   <li>Receiving: a packet's 3-bit key id finds its {@link DataKeyState} with {@link #forKeyId(int)} (an
 *       array index: no lookup, no allocation). Every key that was added and not retired is accepted, so a
 *       peer that switches to a new key a little earlier or later than we do loses nothing (wire reference
 *       §6.4).</li>
 *   <li>Sending: {@link #send()} is the key packets are sealed with; {@link #promote(int)} makes another key
 *       the sending one and keeps the previous one as the <em>lame duck</em>, still accepted for receiving,
 *       until the next promotion retires it.</li>
 * </ul>
 *
 * <p><b>Who writes it:</b> the protocol module's control channel (one thread per session). <b>Who reads
 * it:</b> the crypto stages, per packet; they rebuild their cipher contexts when the instance they find
 * differs from the one they built from.
 *
 * @since 0.2.0
 */
public final class DataKeys {
    /** Key ids are 3 bits on the wire. */
    public static final int KEY_IDS = 8;

    /** The session key the control channel stores the data keys under. */
    public static final SessionKey<DataKeys> KEY = SessionKey.of("data-keys", DataKeys.class);

    /** No key at all (before the first handshake completes). */
    public static final DataKeys NONE = new DataKeys(new DataKeyState[KEY_IDS], -1, -1);

    private final DataKeyState[] byKeyId;
    private final int send;
    private final int lameDuck;

    private DataKeys(DataKeyState[] byKeyId, int send, int lameDuck) {
        this.byKeyId = byKeyId;
        this.send = send;
        this.lameDuck = lameDuck;
    }

    /** The key to seal outgoing packets with, or null if none is ready yet. */
    public DataKeyState send() {
        return send < 0 ? null : byKeyId[send];
    }

    /** The previous sending key, still accepted for receiving, or null. */
    public DataKeyState lameDuck() {
        return lameDuck < 0 ? null : byKeyId[lameDuck];
    }

    /** The key for a received packet's key id, or null (also for ids outside 0..7). */
    public DataKeyState forKeyId(int keyId) {
        return keyId >= 0 && keyId < KEY_IDS ? byKeyId[keyId] : null;
    }

    /**
     * Adds a key for receiving (it replaces any key with the same id, which a key-id wrap 7 → 1 reuses). It
     * does not send with it until {@link #promote(int)}.
     */
    public DataKeys with(DataKeyState key) {
        DataKeyState[] next = byKeyId.clone();
        int id = key.keyId();
        next[id] = key;
        return new DataKeys(next, send, lameDuck == id && send != id ? -1 : lameDuck);
    }

    /**
     * Makes {@code keyId} the sending key. The key sending until now becomes the lame duck; every other key
     * (the previous lame duck, anything older) is retired, so what is left is exactly the new sending key and
     * the lame duck.
     *
     * @throws IllegalArgumentException if no key with this id was added
     */
    public DataKeys promote(int keyId) {
        if (forKeyId(keyId) == null) {
            throw new IllegalArgumentException("no data key with key id " + keyId);
        }
        if (keyId == send) {
            return this;
        }
        DataKeyState[] next = new DataKeyState[KEY_IDS];
        next[keyId] = byKeyId[keyId];
        int duck = -1;
        if (send >= 0) {
            next[send] = byKeyId[send];
            duck = send;
        }
        return new DataKeys(next, keyId, duck);
    }

    /** Drops the key with this id (a failed renegotiation, the lame duck's end of life). */
    public DataKeys without(int keyId) {
        if (forKeyId(keyId) == null) {
            return this;
        }
        DataKeyState[] next = byKeyId.clone();
        next[keyId] = null;
        return new DataKeys(next, send == keyId ? -1 : send, lameDuck == keyId ? -1 : lameDuck);
    }

    /** Every key present, by key id. Allocates: not for the data path. */
    public List<DataKeyState> all() {
        List<DataKeyState> all = new ArrayList<>();
        for (DataKeyState k : byKeyId) {
            if (k != null) {
                all.add(k);
            }
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public String toString() {
        return "DataKeys[send " + (send < 0 ? "-" : send) + ", lame duck " + (lameDuck < 0 ? "-" : lameDuck) + ", "
                + all().size() + " key(s)]";
    }
}
