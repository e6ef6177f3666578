package org.tunnelbus.tls.bouncycastle.internal;

import java.nio.ByteBuffer;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.tunnelbus.api.crypto.DataChannelCipher;

/**
 * One direction of an OpenVPN AEAD data-channel key on Bouncy Castle's low-level engines
 * ({@link GCMBlockCipher} over {@link AESEngine}, or {@link ChaCha20Poly1305}): nonce = packet id (4,
 * big-endian) || implicit IV (8); the tag lives at {@code tagOffset} (before the ciphertext in OpenVPN),
 * while the engines produce and expect {@code ciphertext || tag}.
 *
 * <p>The key is set once, at creation (AES key schedule, GHASH subkey and multiplier tables, or the ChaCha20
 * key); each packet re-initialises the engine with a null key and the new nonce, which keeps all of that.
 * Per packet this class allocates only the {@code ParametersWithIV} that carries the nonce; the packet bytes
 * go through a reusable per-instance scratch array (AAD | input | output, separate regions, so Bouncy Castle
 * never copies an overlapping input), which is how direct buffers and the tag move work with the engines'
 * array API. The scratch array grows only when a larger packet than before arrives. Not thread-safe: one
 * instance per session direction.
 */
final class BcAeadCipher implements DataChannelCipher {
    static final int TAG = 16;

    private final String name;
    private final boolean encrypt;
    private final AEADCipher aead;
    private final byte[] nonce = new byte[12];
    private byte[] scratch = new byte[2048];

    BcAeadCipher(String name, boolean gcm, byte[] key, byte[] implicitIv, boolean encrypt) {
        this.name = name;
        this.encrypt = encrypt;
        this.aead = gcm ? GCMBlockCipher.newInstance(AESEngine.newInstance()) : new ChaCha20Poly1305();
        System.arraycopy(implicitIv, 0, nonce, 4, 8);
        // Set the key once. The priming nonce ends in the complement of the implicit IV, so it can never equal
        // a packet's nonce (and trip the engines' nonce-reuse guard on the first packet).
        byte[] priming = nonce.clone();
        for (int i = 4; i < 12; i++) {
            priming[i] = (byte) ~priming[i];
        }
        aead.init(encrypt, new ParametersWithIV(new KeyParameter(key), priming));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    @Override
    public void seal(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length,
            int tagOffset) {
        if (!encrypt) {
            throw new IllegalStateException(name + ": this cipher opens packets; seal() needs an encrypting one");
        }
        int in = aadLength;
        int out = in + length;
        byte[] s = scratch(out + length + TAG);
        buf.get(aadOffset, s, 0, aadLength);
        buf.get(offset, s, in, length);
        try {
            aead.init(true, nonce(packetId));
            aead.processAADBytes(s, 0, aadLength);
            int n = aead.processBytes(s, in, length, s, out);
            aead.doFinal(s, out + n);
        } catch (InvalidCipherTextException | RuntimeException e) { // a reused nonce, or a broken engine
            throw new IllegalStateException(name + ": cannot seal packet " + Integer.toUnsignedString(packetId)
                    + ": " + e.getMessage(), e);
        }
        buf.put(offset, s, out, length);
        buf.put(tagOffset, s, out + length, TAG);
    }

    @Override
    public boolean open(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length,
            int tagOffset) {
        if (encrypt) {
            throw new IllegalStateException(name + ": this cipher seals packets; open() needs a decrypting one");
        }
        int in = aadLength;
        int out = in + length + TAG;
        byte[] s = scratch(out + length);
        buf.get(aadOffset, s, 0, aadLength);
        buf.get(offset, s, in, length);
        buf.get(tagOffset, s, in + length, TAG);
        try {
            aead.init(false, nonce(packetId));
            aead.processAADBytes(s, 0, aadLength);
            int n = aead.processBytes(s, in, length + TAG, s, out);
            aead.doFinal(s, out + n);
        } catch (InvalidCipherTextException e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
        buf.put(offset, s, out, length);
        return true;
    }

    private ParametersWithIV nonce(int packetId) {
        nonce[0] = (byte) (packetId >>> 24);
        nonce[1] = (byte) (packetId >>> 16);
        nonce[2] = (byte) (packetId >>> 8);
        nonce[3] = (byte) packetId;
        return new ParametersWithIV(null, nonce); // null key: keep the key (and its tables) set at creation
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }

    @Override
    public String toString() { // never the key
        return "BcAeadCipher[" + name + (encrypt ? ", seal" : ", open") + "]";
    }
}
