package org.tunnelbus.openvpn.internal.datapath;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.openvpn.internal.datapath.DataPacketSealer;

/**
 * A session's sending context for one {@link DataKeyState}: a few {@link DataPacketSealer}s over ciphers
 * built from the key, all sharing the key's packet-id counter (which lives in the session).
 *
 * <p>Several I/O threads may seal packets of one session at the same time (device queues, the control
 * channel's keepalive, client-to-client forwarding); a cipher serves one thread at a time. A thread takes
 * a free sealer with one compare-and-set and gives it back with a release store, so the path takes no lock
 * and allocates nothing. With more threads than sealers at one instant a thread spins briefly, then
 * yields.
 *
 * <p>Module context (DESIGN invariant 4): built from the session's state, dropped and rebuilt when the
 * session's sending key is another instance; a context with no sealers records that no provider offers
 * the key's cipher, so the stage does not retry per packet.
 */
final class SealContext {
    final DataKeyState key;
    /** The providers it was built from: a change of providers rebuilds it. */
    final CipherFactories factories;
    private final DataPacketSealer[] sealers;
    private final AtomicIntegerArray busy;

    private SealContext(DataKeyState key, CipherFactories factories, DataPacketSealer[] sealers) {
        this.key = key;
        this.factories = factories;
        this.sealers = sealers;
        this.busy = new AtomicIntegerArray(Math.max(1, sealers.length));
    }

    /** Builds {@code width} sealers for {@code key}; an unusable context if no provider offers its cipher. */
    static SealContext build(DataKeyState key, CipherFactories factories, int width) {
        int keyLength = CipherFactories.keyLength(key.cipher());
        if (keyLength < 0) {
            return new SealContext(key, factories, new DataPacketSealer[0]);
        }
        byte[] k = key.cipherKey(true, keyLength);
        byte[] iv = key.implicitIv(true);
        try {
            DataPacketSealer[] s = new DataPacketSealer[width];
            for (int i = 0; i < width; i++) {
                DataChannelCipher c = factories.create(key.cipher(), k, iv, true);
                if (c == null) {
                    return new SealContext(key, factories, new DataPacketSealer[0]);
                }
                s[i] = key.peerId() == DataKeyState.NO_PEER_ID ? DataPacketSealer.v1(c, key.keyId(), key.sendIds())
                        : DataPacketSealer.v2(c, key.keyId(), key.peerId(), key.sendIds());
            }
            return new SealContext(key, factories, s);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(iv, (byte) 0);
        }
    }

    /** Whether a provider offered the cipher. */
    boolean usable() {
        return sealers.length > 0;
    }

    /** Takes a free sealer; returns its index for {@link #release(int)}. */
    int acquire() {
        int n = sealers.length;
        for (int spins = 0;; spins++) {
            for (int i = 0; i < n; i++) {
                if (busy.get(i) == 0 && busy.compareAndSet(i, 0, 1)) {
                    return i;
                }
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the holder may be descheduled (more threads than cores)
            }
        }
    }

    DataPacketSealer sealer(int index) {
        return sealers[index];
    }

    void release(int index) {
        busy.lazySet(index, 0);
    }
}
