package org.tunnelbus.openvpn.internal.datapath;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.openvpn.internal.keys.DataChannelKeys;

/**
 * {@link DataChannelCipher} on the JDK's own JCE (AES-GCM, ChaCha20-Poly1305): one direction of one data
 * key, sealing and opening in place. It knows nothing of the OpenVPN packet layout ({@link DataPacketSealer}
 * and {@link DataPacketOpener} do); it only builds the nonce {@code packet_id (4, big-endian) || implicit IV
 * (8)} and moves the tag, because JCE puts it after the ciphertext and OpenVPN before it (§6.1).
 *
 * <p>{@link #seal} lets JCE write the tag into the {@value AeadAlgorithm#TAG_LENGTH} bytes after the plaintext
 * (the tailroom of a pooled packet) and then moves it to {@code tagOffset}; without that room it goes
 * through a scratch array kept by the instance. Buffer positions and limits are not used, only the
 * capacity. Not thread-safe: one instance per session direction.
 */
public final class JceDataChannelCipher implements DataChannelCipher {
    private final AeadAlgorithm algorithm;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final int mode;
    private final byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    private final byte[] tag = new byte[AeadAlgorithm.TAG_LENGTH];
    private byte[] scratch = new byte[0];

    public JceDataChannelCipher(AeadAlgorithm algorithm, byte[] key, byte[] implicitIv, boolean encrypt) {
        if (key.length != algorithm.keyLength() || implicitIv.length != DataChannelKeys.IMPLICIT_IV_LENGTH) {
            throw new IllegalArgumentException(algorithm.openVpnName() + " needs a " + algorithm.keyLength()
                    + "-byte key and an 8-byte implicit IV");
        }
        this.algorithm = algorithm;
        this.key = new SecretKeySpec(key, algorithm.keyAlgorithm());
        this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        System.arraycopy(implicitIv, 0, nonce, 4, implicitIv.length);
        try {
            this.cipher = Cipher.getInstance(algorithm.transformation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks " + algorithm.transformation(), e);
        }
    }

    @Override
    public String name() {
        return algorithm.openVpnName();
    }

    @Override
    public int tagLength() {
        return AeadAlgorithm.TAG_LENGTH;
    }

    @Override
    public void seal(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length, int tagOffset) {
        if (mode != Cipher.ENCRYPT_MODE) {
            throw new IllegalStateException("a decrypting cipher cannot seal");
        }
        try {
            start(packetId, buf, aadOffset, aadLength);
            if (buf.capacity() - offset - length >= AeadAlgorithm.TAG_LENGTH) {
                cipher.doFinal(region(buf, offset, length), region(buf, offset, length + AeadAlgorithm.TAG_LENGTH));
                buf.get(offset + length, tag);
            } else {
                sealViaScratch(buf, offset, length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.openVpnName() + " seal failed", e);
        }
        buf.put(tagOffset, tag);
    }

    /** For a buffer without tailroom: JCE's {@code ciphertext || tag} goes to a scratch array first. */
    private void sealViaScratch(ByteBuffer buf, int offset, int length) throws GeneralSecurityException {
        if (scratch.length < length + AeadAlgorithm.TAG_LENGTH) {
            scratch = new byte[length + AeadAlgorithm.TAG_LENGTH];
        }
        buf.get(offset, scratch, 0, length);
        cipher.doFinal(scratch, 0, length, scratch, 0);
        buf.put(offset, scratch, 0, length);
        System.arraycopy(scratch, length, tag, 0, AeadAlgorithm.TAG_LENGTH);
    }

    @Override
    public boolean open(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length, int tagOffset) {
        if (mode != Cipher.DECRYPT_MODE) {
            throw new IllegalStateException("an encrypting cipher cannot open");
        }
        try {
            start(packetId, buf, aadOffset, aadLength);
            ByteBuffer out = region(buf, offset, length);
            // JCE wants ciphertext || tag; feeding the tag region last gives it that order without moving bytes.
            cipher.update(region(buf, offset, length), out);
            cipher.doFinal(region(buf, tagOffset, AeadAlgorithm.TAG_LENGTH), out);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.openVpnName() + " open failed", e);
        }
    }

    private void start(int packetId, ByteBuffer buf, int aadOffset, int aadLength) throws GeneralSecurityException {
        nonce[0] = (byte) (packetId >>> 24);
        nonce[1] = (byte) (packetId >>> 16);
        nonce[2] = (byte) (packetId >>> 8);
        nonce[3] = (byte) packetId;
        cipher.init(mode, key, algorithm.parameters(nonce));
        cipher.updateAAD(region(buf, aadOffset, aadLength));
    }

    /** A view of {@code [offset, offset+length)} bounded by the capacity, not by the buffer's limit. */
    private static ByteBuffer region(ByteBuffer buf, int offset, int length) {
        ByteBuffer view = buf.duplicate();
        view.clear();
        return view.limit(offset + length).position(offset);
    }
}
