package org.tunnelbus.tls.bouncycastle.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;

/** Data-channel AEAD ciphers on Bouncy Castle's low-level engines: AES-128-GCM, AES-256-GCM, CHACHA20-POLY1305. */
public final class BcDataChannelCipherFactory implements DataChannelCipherFactory {
    /** Every cipher this provider implements, in OpenVPN's default preference order. */
    public static final List<String> ALL = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");

    private volatile Set<String> enabled;

    public BcDataChannelCipherFactory() {
        this(ALL);
    }

    BcDataChannelCipherFactory(List<String> enabled) {
        this.enabled = ordered(enabled);
    }

    void enable(List<String> ciphers) {
        this.enabled = ordered(ciphers);
    }

    private static Set<String> ordered(List<String> ciphers) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(ciphers));
    }

    /** The enabled ciphers, in the configured order. */
    @Override
    public Set<String> ciphers() {
        return enabled;
    }

    @Override
    public DataChannelCipher create(String cipher, byte[] key, byte[] implicitIv, boolean encrypt) {
        if (!enabled.contains(cipher)) {
            throw new IllegalArgumentException("cipher '" + cipher + "' is not offered; enabled: " + enabled);
        }
        return make(cipher, key, implicitIv, encrypt);
    }

    /** Creates any cipher this provider implements, enabled or not (the known-answer tests use all). */
    static DataChannelCipher make(String cipher, byte[] key, byte[] implicitIv, boolean encrypt) {
        int keyLength = switch (cipher) {
            case "AES-128-GCM" -> 16;
            case "AES-256-GCM", "CHACHA20-POLY1305" -> 32;
            default -> throw new IllegalArgumentException("unknown cipher '" + cipher + "'; known: " + ALL);
        };
        if (key == null || key.length != keyLength) {
            throw new IllegalArgumentException(cipher + " needs a " + keyLength + "-byte key");
        }
        if (implicitIv == null || implicitIv.length != 8) {
            throw new IllegalArgumentException(cipher + " needs an 8-byte implicit IV");
        }
        return new BcAeadCipher(cipher, !cipher.startsWith("CHACHA"), key, implicitIv, encrypt);
    }
}
