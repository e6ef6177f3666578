package org.tunnelbus.openvpn.internal.keys;

import java.util.Arrays;

/**
 * The keys one side installs for the data channel, picked from the key block by role (§3.3;
 * {@code ssl.c init_key_contexts()}, {@code key_ctx_update_implicit_iv()}): the client encrypts with
 * keys[0] and decrypts with keys[1], the server the other way round. (The opposite of tls-crypt.)
 * For AEAD ciphers the implicit IV is the first 8 bytes of the same key's hmac half.
 *
 * <p>Holds copies of secrets; {@link #destroy()} them once ciphers are built, never log them.
 */
public final class DataChannelKeys {
    /** AEAD IV (12) minus the 4-byte packet id. */
    public static final int IMPLICIT_IV_LENGTH = 8;

    private final byte[] encryptKey;
    private final byte[] encryptImplicitIv;
    private final byte[] decryptKey;
    private final byte[] decryptImplicitIv;

    private DataChannelKeys(Key2 block, int sendIndex, int keyLength) {
        int receiveIndex = 1 - sendIndex;
        this.encryptKey = block.cipher(sendIndex, keyLength);
        this.encryptImplicitIv = block.hmac(sendIndex, IMPLICIT_IV_LENGTH);
        this.decryptKey = block.cipher(receiveIndex, keyLength);
        this.decryptImplicitIv = block.hmac(receiveIndex, IMPLICIT_IV_LENGTH);
    }

    /**
     * @param server    true on the TLS server (the OpenVPN server in client/server mode)
     * @param keyLength the cipher's key length: 16 for AES-128-GCM, 32 for AES-256-GCM and ChaCha20-Poly1305
     */
    public static DataChannelKeys forRole(Key2 block, boolean server, int keyLength) {
        return new DataChannelKeys(block, server ? 1 : 0, keyLength);
    }

    public byte[] encryptKey() {
        return encryptKey.clone();
    }

    public byte[] encryptImplicitIv() {
        return encryptImplicitIv.clone();
    }

    public byte[] decryptKey() {
        return decryptKey.clone();
    }

    public byte[] decryptImplicitIv() {
        return decryptImplicitIv.clone();
    }

    public void destroy() {
        Arrays.fill(encryptKey, (byte) 0);
        Arrays.fill(decryptKey, (byte) 0);
        Arrays.fill(encryptImplicitIv, (byte) 0);
        Arrays.fill(decryptImplicitIv, (byte) 0);
    }

    @Override
    public String toString() {
        return "DataChannelKeys[" + encryptKey.length * 8 + " bit]";
    }
}
