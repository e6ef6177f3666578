package org.tunnelbus.openvpn.internal.datapath;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Locale;

import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The AEAD data-channel ciphers of 2.6 (§6.1) and their JCE names. All have a 16-byte tag and a 12-byte
 * nonce ({@code packet_id || implicit IV}).
 */
public enum AeadAlgorithm {
    AES_128_GCM("AES-128-GCM", "AES/GCM/NoPadding", "AES", 16),
    AES_256_GCM("AES-256-GCM", "AES/GCM/NoPadding", "AES", 32),
    CHACHA20_POLY1305("CHACHA20-POLY1305", "ChaCha20-Poly1305", "ChaCha20", 32);

    public static final int TAG_LENGTH = 16;
    public static final int NONCE_LENGTH = 12;

    private final String openVpnName;
    private final String transformation;
    private final String keyAlgorithm;
    private final int keyLength;

    AeadAlgorithm(String openVpnName, String transformation, String keyAlgorithm, int keyLength) {
        this.openVpnName = openVpnName;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.keyLength = keyLength;
    }

    /**
     * @throws IllegalArgumentException for a name that is not one of these ciphers
     */
    public static AeadAlgorithm ofName(String name) {
        for (AeadAlgorithm a : values()) {
            if (a.openVpnName.equals(name.toUpperCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("not an AEAD data cipher: '" + name + "'");
    }

    public String openVpnName() {
        return openVpnName;
    }

    public String transformation() {
        return transformation;
    }

    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    public int keyLength() {
        return keyLength;
    }

    /** The JCE parameters for one nonce. */
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return this == CHACHA20_POLY1305 ? new IvParameterSpec(nonce) : new GCMParameterSpec(8 * TAG_LENGTH, nonce);
    }
}
