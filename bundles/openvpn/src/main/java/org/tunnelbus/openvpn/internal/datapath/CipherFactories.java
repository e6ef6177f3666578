package org.tunnelbus.openvpn.internal.datapath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.crypto.DataChannelCipher;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;
import org.tunnelbus.openvpn.internal.datapath.AeadAlgorithm;

/**
 * The data-channel cipher providers a stage may build from, best first (highest {@code service.ranking}).
 * Consulted only when a session's cipher context is (re)built, never per packet. Immutable.
 */
public final class CipherFactories {
    private static final String RANKING = "service.ranking";

    private final List<DataChannelCipherFactory> factories;

    private CipherFactories(List<DataChannelCipherFactory> factories) {
        this.factories = List.copyOf(factories);
    }

    /** Factories in the order given (best first). */
    public static CipherFactories of(List<DataChannelCipherFactory> bestFirst) {
        return new CipherFactories(bestFirst);
    }

    /** No provider at all. */
    static final CipherFactories NONE = new CipherFactories(List.of());

    /** Factories with their service properties, as DS injects them; sorted by ranking, highest first. */
    static CipherFactories ranked(List<Map.Entry<Map<String, Object>, DataChannelCipherFactory>> services) {
        List<Map.Entry<Map<String, Object>, DataChannelCipherFactory>> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparingInt((Map.Entry<Map<String, Object>, DataChannelCipherFactory> e) -> ranking(e.getKey()))
                .reversed());
        List<DataChannelCipherFactory> list = new ArrayList<>();
        sorted.forEach(e -> list.add(e.getValue()));
        return new CipherFactories(list);
    }

    private static int ranking(Map<String, Object> props) {
        Object r = props.get(RANKING);
        return r instanceof Integer i ? i : 0;
    }

    /** The key length of an OpenVPN AEAD cipher, or -1 if the name is not one. */
    static int keyLength(String cipher) {
        try {
            return AeadAlgorithm.ofName(cipher).keyLength();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * A cipher from the best provider that offers {@code cipher}.
     *
     * @return the cipher, or null if no provider offers it (or it refused the key)
     */
    DataChannelCipher create(String cipher, byte[] key, byte[] implicitIv, boolean encrypt) {
        for (DataChannelCipherFactory f : factories) {
            if (f.ciphers().contains(cipher)) {
                try {
                    return f.create(cipher, key, implicitIv, encrypt);
                } catch (RuntimeException e) {
                    // a provider that refuses (disabled cipher, bad key): try the next one
                }
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return factories.isEmpty();
    }

    @Override
    public String toString() {
        return "CipherFactories" + factories;
    }
}
