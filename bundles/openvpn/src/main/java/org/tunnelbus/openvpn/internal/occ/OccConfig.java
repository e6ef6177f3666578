package org.tunnelbus.openvpn.internal.occ;

import java.util.List;
import java.util.Objects;

import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;

/**
 * The parts of a TLS-mode configuration that the options-consistency string reflects (§4).
 *
 * @param tap            {@code dev-type tap} instead of tun
 * @param tunMtu         {@code --tun-mtu} (1500 by default)
 * @param proto          transport and, for TCP, which end
 * @param tlsServer      our TLS role
 * @param cipher         the {@code --cipher} value (2.6 default: the BF-CBC placeholder)
 * @param dataCiphers    {@code --data-ciphers}: {@code cipher X} is only announced if X is in it
 * @param auth           {@code --auth} (SHA1 by default)
 * @param tlsAuth        whether {@code --tls-auth} is used (adds the {@code tls-auth} item)
 * @param keyDirection   {@code --key-direction} (adds {@code keydir} when set)
 * @param compression    a compression context is configured: stub or real, v1 framing adds a byte
 * @param compressionV1  the framing is v1 (1 extra byte per packet; stub-v2/lz4-v2 add none)
 * @param fragment       {@code --fragment} is set (adds {@code mtu-dynamic} and a 4-byte header)
 * @param replay         replay protection on (off only with {@code --no-replay})
 */
public record OccConfig(boolean tap, int tunMtu, OccProto proto, boolean tlsServer, OccCipher cipher,
                        List<String> dataCiphers, AuthDigest auth, boolean tlsAuth, KeyDirection keyDirection,
                        boolean compression, boolean compressionV1, boolean fragment, boolean replay) {
    public static final List<String> DEFAULT_DATA_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");

    public OccConfig {
        Objects.requireNonNull(proto);
        Objects.requireNonNull(cipher);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(keyDirection);
        dataCiphers = List.copyOf(dataCiphers);
        if (tunMtu < 1) {
            throw new IllegalArgumentException("tun-mtu " + tunMtu);
        }
    }

    /** Stock defaults for a TLS client or server over UDP: tun, mtu 1500, BF-CBC placeholder, SHA1. */
    public static OccConfig defaults(boolean tlsServer) {
        return new OccConfig(false, 1500, OccProto.UDP, tlsServer, OccCipher.BF_CBC, DEFAULT_DATA_CIPHERS,
                AuthDigest.SHA1, false, KeyDirection.BIDIRECTIONAL, false, false, false, true);
    }

    public OccConfig withTunMtu(int mtu) {
        return new OccConfig(tap, mtu, proto, tlsServer, cipher, dataCiphers, auth, tlsAuth, keyDirection,
                compression, compressionV1, fragment, replay);
    }

    public OccConfig withCipher(OccCipher c) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, c, dataCiphers, auth, tlsAuth, keyDirection,
                compression, compressionV1, fragment, replay);
    }

    public OccConfig withAuth(AuthDigest a) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, cipher, dataCiphers, a, tlsAuth, keyDirection,
                compression, compressionV1, fragment, replay);
    }

    public OccConfig withProto(OccProto p) {
        return new OccConfig(tap, tunMtu, p, tlsServer, cipher, dataCiphers, auth, tlsAuth, keyDirection,
                compression, compressionV1, fragment, replay);
    }

    public OccConfig withTlsAuth(KeyDirection direction) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, cipher, dataCiphers, auth, true, direction,
                compression, compressionV1, fragment, replay);
    }

    public OccConfig withReplay(boolean r) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, cipher, dataCiphers, auth, tlsAuth, keyDirection,
                compression, compressionV1, fragment, r);
    }

    public OccConfig withCompression(boolean v1Framing) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, cipher, dataCiphers, auth, tlsAuth, keyDirection,
                true, v1Framing, fragment, replay);
    }

    public OccConfig withFragment(boolean f) {
        return new OccConfig(tap, tunMtu, proto, tlsServer, cipher, dataCiphers, auth, tlsAuth, keyDirection,
                compression, compressionV1, f, replay);
    }
}
