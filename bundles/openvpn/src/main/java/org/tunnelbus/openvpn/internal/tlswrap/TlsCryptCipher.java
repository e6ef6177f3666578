package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tls-crypt construction for one direction (§2.8.1; {@code tls_crypt.h}, {@code tls_crypt.c
 * tls_crypt_wrap()} / {@code tls_crypt_unwrap()}): SIV-style MAC-then-encrypt,
 *
 * <pre>
 * tag = HMAC-SHA256(Ka, header || P)
 * C   = AES-256-CTR(Ke, IV = tag[0..15], P)
 * </pre>
 *
 * with the 128-bit CTR counter block taken whole from the tag (Java's {@code AES/CTR/NoPadding} increments
 * it as a big-endian 128-bit number, as OpenSSL does). Arguments are buffers whose remaining bytes are the
 * region; they are consumed. Not thread-safe.
 */
public final class TlsCryptCipher {
    public static final int KEY_LENGTH = 32;
    public static final int TAG_LENGTH = 32;
    private static final int IV_LENGTH = 16;

    private final SecretKeySpec encryptionKey;
    private final Mac mac;
    private final Cipher ctr;
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] expected = new byte[TAG_LENGTH];

    /**
     * @param ke AES-256 key (32 bytes, {@code keys[i].cipher[0..31]})
     * @param ka HMAC-SHA256 key (32 bytes, {@code keys[i].hmac[0..31]})
     */
    public TlsCryptCipher(byte[] ke, byte[] ka) {
        if (ke.length != KEY_LENGTH || ka.length != KEY_LENGTH) {
            throw new IllegalArgumentException("tls-crypt keys are 32 bytes each");
        }
        try {
            encryptionKey = new SecretKeySpec(ke, "AES");
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ka, "HmacSHA256"));
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks HmacSHA256 or AES/CTR", e);
        }
    }

    /** Writes {@code tag || C} at {@code out}'s position. */
    public void seal(ByteBuffer header, ByteBuffer plaintext, ByteBuffer out) {
        mac.update(header);
        mac.update(plaintext.duplicate());
        doFinal(tag);
        out.put(tag);
        crypt(Cipher.ENCRYPT_MODE, tag, plaintext, out);
    }

    /**
     * Decrypts {@code ciphertext} into {@code out} and checks the tag in constant time.
     *
     * @return false if the tag does not match; {@code out}'s position is then restored
     */
    public boolean open(ByteBuffer header, ByteBuffer tagRegion, ByteBuffer ciphertext, ByteBuffer out) {
        tagRegion.get(tag);
        int start = out.position();
        crypt(Cipher.DECRYPT_MODE, tag, ciphertext, out);
        mac.update(header);
        mac.update(out.duplicate().flip().position(start));
        doFinal(expected);
        // MessageDigest.isEqual is constant-time (as memcmp_constant_time() in stock).
        if (!MessageDigest.isEqual(tag, expected)) {
            out.position(start);
            return false;
        }
        return true;
    }

    private void doFinal(byte[] into) {
        try {
            mac.doFinal(into, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void crypt(int mode, byte[] iv, ByteBuffer in, ByteBuffer out) {
        try {
            ctr.init(mode, encryptionKey, new IvParameterSpec(iv, 0, IV_LENGTH));
            ctr.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }
}
