package org.tunnelbus.tls.jsse.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.tunnelbus.api.crypto.DataChannelCipher;

/**
 * One direction of an OpenVPN AEAD data-channel key on a SunJCE {@link Cipher}: nonce = packet id (4,
 * big-endian) || implicit IV (8); the tag lives at {@code tagOffset} (before the ciphertext in OpenVPN),
 * while JCE produces and expects {@code ciphertext || tag}.
 *
 * <p>Per packet: one {@code Cipher.init} with a new {@code GCMParameterSpec} / {@code IvParameterSpec} (JCE
 * has no other way to change the nonce; SunJCE keeps the expanded AES key when the key is the same, but
 * builds new GCM state objects and recomputes the GHASH subkey, about 1 KB of garbage per packet), then the
 * AEAD over two reusable per-instance arrays: the input (AAD | payload [| tag]) and a separate output
 * (payload | tag). Copying through them is what makes direct buffers and the tag move work with JCE's
 * array API; keeping input and output apart avoids SunJCE's defensive copy of an overlapping input (which
 * cost another packet-sized allocation). The arrays grow only when a larger packet than before arrives.
 * SunJCE's ChaCha20-Poly1305 decryption still buffers the ciphertext internally (a packet-sized allocation
 * per open). Not thread-safe: one instance per session direction.
 */
final class JceAeadCipher implements DataChannelCipher {
    static final int TAG = 16;

    private final String name;
    private final boolean gcm;
    private final boolean encrypt;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private byte[] scratch = new byte[2048];
    private byte[] output = new byte[2048];

    JceAeadCipher(String name, boolean gcm, byte[] key, byte[] implicitIv, boolean encrypt)
            throws GeneralSecurityException {
        this.name = name;
        this.gcm = gcm;
        this.encrypt = encrypt;
        this.cipher = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305", "SunJCE");
        this.key = new SecretKeySpec(key, gcm ? "AES" : "ChaCha20");
        System.arraycopy(implicitIv, 0, nonce, 4, 8);
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
        byte[] s = scratch(in + length);
        byte[] o = output(length + TAG);
        buf.get(aadOffset, s, 0, aadLength);
        buf.get(offset, s, in, length);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, spec(packetId));
            cipher.updateAAD(s, 0, aadLength);
            cipher.doFinal(s, in, length, o, 0);
        } catch (GeneralSecurityException e) { // a reused nonce, or a broken provider
            throw new IllegalStateException(name + ": cannot seal packet " + Integer.toUnsignedString(packetId)
                    + ": " + e.getMessage(), e);
        }
        buf.put(offset, o, 0, length);
        buf.put(tagOffset, o, length, TAG);
    }

    @Override
    public boolean open(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length,
            int tagOffset) {
        if (encrypt) {
            throw new IllegalStateException(name + ": this cipher seals packets; open() needs a decrypting one");
        }
        int in = aadLength;
        byte[] s = scratch(in + length + TAG);
        byte[] o = output(length + TAG);
        buf.get(aadOffset, s, 0, aadLength);
        buf.get(offset, s, in, length);
        buf.get(tagOffset, s, in + length, TAG);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, spec(packetId));
            cipher.updateAAD(s, 0, aadLength);
            cipher.doFinal(s, in, length + TAG, o, 0);
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
        buf.put(offset, o, 0, length);
        return true;
    }

    private AlgorithmParameterSpec spec(int packetId) {
        nonce[0] = (byte) (packetId >>> 24);
        nonce[1] = (byte) (packetId >>> 16);
        nonce[2] = (byte) (packetId >>> 8);
        nonce[3] = (byte) packetId;
        return gcm ? new GCMParameterSpec(TAG * 8, nonce) : new IvParameterSpec(nonce);
    }

    private byte[] output(int size) {
        if (output.length < size) {
            output = new byte[Math.max(size, output.length * 2)];
        }
        return output;
    }

    private byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }

    @Override
    public String toString() { // never the key
        return "JceAeadCipher[" + name + (encrypt ? ", seal" : ", open") + "]";
    }
}
