package org.tunnelbus.openvpn.internal.keys;

import java.util.Arrays;

/**
 * OpenVPN's {@code struct key2}: 256 bytes holding two keys, each {@code cipher[64] || hmac[64]} (§2.10,
 * §3.3; {@code crypto.h}). The same layout serves the static key file of tls-auth/tls-crypt and the
 * data-channel key block.
 *
 * <p>Which of the two keys a side sends with depends on the use: tls-auth follows {@link KeyDirection},
 * tls-crypt sends with keys[0] on the server, the data channel sends with keys[0] on the client.
 * {@link #toString()} never shows key bytes (DESIGN invariant 8).
 */
public final class Key2 {
    public static final int LENGTH = 256;
    public static final int KEY_LENGTH = 128;
    public static final int CIPHER_LENGTH = 64;
    public static final int HMAC_LENGTH = 64;

    private final byte[] bytes;

    private Key2(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies 256 bytes into a new key block. */
    public static Key2 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a key2 block is " + LENGTH + " bytes, not " + bytes.length);
        }
        return new Key2(bytes.clone());
    }

    /** The first {@code length} bytes of {@code keys[index].cipher}. */
    public byte[] cipher(int index, int length) {
        return part(index, 0, CIPHER_LENGTH, length);
    }

    /** The first {@code length} bytes of {@code keys[index].hmac} (also the AEAD implicit-IV source). */
    public byte[] hmac(int index, int length) {
        return part(index, CIPHER_LENGTH, HMAC_LENGTH, length);
    }

    private byte[] part(int index, int offset, int size, int length) {
        if (index != 0 && index != 1) {
            throw new IllegalArgumentException("key index " + index);
        }
        if (length < 0 || length > size) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + size);
        }
        int from = index * KEY_LENGTH + offset;
        return Arrays.copyOfRange(bytes, from, from + length);
    }

    /** {@code this XOR other}, as dynamic tls-crypt mixes the exporter output with the wrap key (§2.8.3). */
    public Key2 xor(Key2 other) {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new Key2(out);
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Overwrites the key bytes with zeros once the keys are installed elsewhere. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Key2[256 bytes]";
    }
}
