package org.tunnelbus.openvpn.internal.occ;

/**
 * The {@code --cipher} values the options string can name, with the sizes OpenSSL reports for them,
 * which is what the link-mtu arithmetic uses (§4; {@code crypto.c calculate_crypto_overhead()},
 * {@code crypto_openssl.c cipher_kt_block_size()}: GCM reports the block size of the CBC variant, 16;
 * ChaCha20-Poly1305 reports 1). {@code BF-CBC} is 2.6's default placeholder and is special-cased.
 */
public enum OccCipher {
    NONE("none", Mode.NONE, 0, 0, 0),
    BF_CBC("BF-CBC", Mode.CBC, 128, 8, 8),
    AES_128_CBC("AES-128-CBC", Mode.CBC, 128, 16, 16),
    AES_192_CBC("AES-192-CBC", Mode.CBC, 192, 16, 16),
    AES_256_CBC("AES-256-CBC", Mode.CBC, 256, 16, 16),
    AES_128_GCM("AES-128-GCM", Mode.AEAD, 128, 12, 16),
    AES_192_GCM("AES-192-GCM", Mode.AEAD, 192, 12, 16),
    AES_256_GCM("AES-256-GCM", Mode.AEAD, 256, 12, 16),
    CHACHA20_POLY1305("CHACHA20-POLY1305", Mode.AEAD, 256, 12, 1);

    /** The AEAD tag length ({@code OPENVPN_AEAD_TAG_LENGTH}). */
    static final int TAG_LENGTH = 16;

    enum Mode { NONE, CBC, AEAD }

    private final String openVpnName;
    private final Mode mode;
    private final int keyBits;
    private final int ivLength;
    private final int blockLength;

    OccCipher(String openVpnName, Mode mode, int keyBits, int ivLength, int blockLength) {
        this.openVpnName = openVpnName;
        this.mode = mode;
        this.keyBits = keyBits;
        this.ivLength = ivLength;
        this.blockLength = blockLength;
    }

    /**
     * The cipher for a config name (case-insensitive).
     *
     * @throws IllegalArgumentException if unknown here
     */
    public static OccCipher ofName(String name) {
        for (OccCipher c : values()) {
            if (c.openVpnName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cipher '" + name + "'");
    }

    public String openVpnName() {
        return openVpnName;
    }

    Mode mode() {
        return mode;
    }

    int keyBits() {
        return keyBits;
    }

    int ivLength() {
        return ivLength;
    }

    int blockLength() {
        return blockLength;
    }
}
