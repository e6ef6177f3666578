package org.tunnelbus.api.crypto;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything the data channel needs about one key id of a session, kept in the session (inside
 * {@link DataKeys}) so that it outlives the modules that use it (DESIGN invariant 4): the cipher name, the
 * 256-byte OpenVPN key block ({@code struct key2}) it was derived into, which half of the block this side
 * sends with, the peer-id to put into sent packets, the send packet-id counter, the receive replay window
 * and when the key was made.
 *
 * <p>A crypto module builds its per-session cipher context from this object (a {@link DataChannelCipher}
 * per direction, from {@link #cipherKey} and {@link #implicitIv}) and rebuilds it when the session's
 * {@link DataKeys} names another instance: a new key id or a renegotiated key is always a new instance, so
 * an identity comparison tells a module that its context is stale.
 *
 * <p><b>Key block layout</b> (wire reference §3.3): {@code keys[0] = cipher[64] || hmac[64]},
 * {@code keys[1]} the same. In client/server mode the client encrypts with {@code keys[0]} and the server
 * with {@code keys[1]}; for AEAD ciphers the 8-byte implicit IV is the start of the same key's hmac half.
 *
 * <p><b>Threading:</b> immutable except for its counter and window, whose own docs say who may touch them.
 * {@link #toString()} never shows key material (DESIGN invariant 8).
 *
 * @since 0.2.0
 */
public final class DataKeyState {
    /** Bytes in an OpenVPN key block. */
    public static final int KEY2_LENGTH = 256;
    /** Bytes of one of its two keys ({@code cipher[64] || hmac[64]}). */
    public static final int KEY_LENGTH = 128;
    /** Bytes of the cipher (and of the hmac) half of one key. */
    public static final int HALF_LENGTH = 64;
    /** Bytes of the AEAD implicit IV (a 12-byte nonce minus the 4-byte packet id). */
    public static final int IMPLICIT_IV_LENGTH = 8;
    /** {@link #peerId()} of a key whose packets go out as P_DATA_V1 (no peer-id). */
    public static final int NO_PEER_ID = -1;

    private final int keyId;
    private final String cipher;
    private final byte[] key2;
    private final boolean tlsServer;
    private final int peerId;
    private final PacketIdCounter sendIds;
    private final ReplayWindow replayWindow;
    private final Instant created;

    /**
     * A fresh key: packet ids start at 1, the replay window is empty.
     *
     * @param keyId     the OpenVPN key id, 0..7
     * @param cipher    the OpenVPN cipher name, e.g. {@code AES-256-GCM}
     * @param key2      the 256-byte key block (copied; the caller should wipe its own copy)
     * @param tlsServer true on the TLS server (the OpenVPN server), which sends with {@code keys[1]}
     * @param peerId    the 24-bit peer-id to send in P_DATA_V2, or {@link #NO_PEER_ID} to send P_DATA_V1
     * @param created   when the key was derived
     */
    public DataKeyState(int keyId, String cipher, byte[] key2, boolean tlsServer, int peerId, Instant created) {
        this(keyId, cipher, key2, tlsServer, peerId, PacketIdCounter.shortForm(), new ReplayWindow(), created);
    }

    /** A key with explicit counter and window (a restored session, tests). */
    public DataKeyState(int keyId, String cipher, byte[] key2, boolean tlsServer, int peerId, PacketIdCounter sendIds,
            ReplayWindow replayWindow, Instant created) {
        if (keyId < 0 || keyId >= DataKeys.KEY_IDS) {
            throw new IllegalArgumentException("key id " + keyId + " outside 0.." + (DataKeys.KEY_IDS - 1));
        }
        if (key2 == null || key2.length != KEY2_LENGTH) {
            throw new IllegalArgumentException("a key block is " + KEY2_LENGTH + " bytes");
        }
        if (peerId != NO_PEER_ID && (peerId < 0 || peerId >= 0xFFFFFF)) {
            throw new IllegalArgumentException("peer-id " + peerId + " is not a 24-bit peer-id");
        }
        if (sendIds.isLongForm()) {
            throw new IllegalArgumentException("data packets use short-form packet ids");
        }
        this.keyId = keyId;
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.key2 = key2.clone();
        this.tlsServer = tlsServer;
        this.peerId = peerId;
        this.sendIds = Objects.requireNonNull(sendIds, "sendIds");
        this.replayWindow = Objects.requireNonNull(replayWindow, "replayWindow");
        this.created = Objects.requireNonNull(created, "created");
    }

    public int keyId() {
        return keyId;
    }

    /** The OpenVPN cipher name. */
    public String cipher() {
        return cipher;
    }

    /** Whether the holder is the TLS server (sends with {@code keys[1]}, receives with {@code keys[0]}). */
    public boolean tlsServer() {
        return tlsServer;
    }

    /** The peer-id for P_DATA_V2 headers, or {@link #NO_PEER_ID} for P_DATA_V1. */
    public int peerId() {
        return peerId;
    }

    /** The send-side packet-id counter of this key (short form, thread-safe). */
    public PacketIdCounter sendIds() {
        return sendIds;
    }

    /** The receive-side replay window of this key (used by the session's receive thread only). */
    public ReplayWindow replayWindow() {
        return replayWindow;
    }

    public Instant created() {
        return created;
    }

    /** The index of the key half this side encrypts with ({@code send}) or decrypts with. */
    private int index(boolean send) {
        return send == tlsServer ? 1 : 0;
    }

    /**
     * The first {@code length} bytes of the cipher half of the sending ({@code send}) or receiving key: the
     * AEAD key. A fresh copy: wipe it once the cipher is built.
     */
    public byte[] cipherKey(boolean send, int length) {
        return part(index(send) * KEY_LENGTH, length);
    }

    /** The first {@code length} bytes of the hmac half of the sending or receiving key (CBC HMAC key). A copy. */
    public byte[] hmacKey(boolean send, int length) {
        return part(index(send) * KEY_LENGTH + HALF_LENGTH, length);
    }

    /** The 8-byte AEAD implicit IV of the sending or receiving direction. A copy. */
    public byte[] implicitIv(boolean send) {
        return hmacKey(send, IMPLICIT_IV_LENGTH);
    }

    /** A copy of the whole key block. */
    public byte[] key2() {
        return key2.clone();
    }

    private byte[] part(int from, int length) {
        if (length < 0 || length > HALF_LENGTH) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + HALF_LENGTH);
        }
        return Arrays.copyOfRange(key2, from, from + length);
    }

    @Override
    public String toString() {
        return "DataKeyState[key id " + keyId + ", " + cipher + ", " + (peerId == NO_PEER_ID ? "P_DATA_V1" : "peer-id " + peerId)
                + ", last sent " + sendIds.lastId() + ", since " + created + "]";
    }
}
