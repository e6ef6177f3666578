package org.tunnelbus.openvpn.internal.datapath;

import java.util.Arrays;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.openvpn.internal.datapath.DataPacketOpener;

/**
 * A session's receiving context: per key id, a {@link DataPacketOpener} over a cipher built from the
 * session's {@link DataKeyState} and that key's replay window (which lives in the session).
 *
 * <p>Used by the receive thread of the session's transport only (one thread at a time, as the replay
 * window requires). An entry is rebuilt when the session's key for that id is another instance (a
 * renegotiation, a key-id wrap), so allocation happens only when keys change. Module context (DESIGN
 * invariant 4): a new stage instance starts with an empty context and rebuilds it from the session.
 */
final class OpenContext {
    /** Marks an entry whose cipher no provider offers. */
    private static final DataPacketOpener UNUSABLE = null;

    private final DataKeyState[] keys = new DataKeyState[DataKeys.KEY_IDS];
    private final CipherFactories[] builtWith = new CipherFactories[DataKeys.KEY_IDS];
    private final DataPacketOpener[] openers = new DataPacketOpener[DataKeys.KEY_IDS];

    /** The opener for {@code key}, (re)built if the entry was made for another key; null if unusable. */
    DataPacketOpener opener(DataKeyState key, CipherFactories factories) {
        int id = key.keyId();
        if (keys[id] != key || builtWith[id] != factories) {
            openers[id] = build(key, factories);
            keys[id] = key;
            builtWith[id] = factories;
        }
        return openers[id];
    }

    private static DataPacketOpener build(DataKeyState key, CipherFactories factories) {
        int keyLength = CipherFactories.keyLength(key.cipher());
        if (keyLength < 0) {
            return UNUSABLE;
        }
        byte[] k = key.cipherKey(false, keyLength);
        byte[] iv = key.implicitIv(false);
        try {
            DataChannelCipher c = factories.create(key.cipher(), k, iv, false);
            return c == null ? UNUSABLE : new DataPacketOpener(c, key.replayWindow());
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(iv, (byte) 0);
        }
    }
}
