package org.tunnelbus.openvpn.internal.occ;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.openvpn.internal.tlswrap.AuthDigest;

/** §8.1(e): the TLS-mode cases of test_crypto.c test_occ_mtu_calculation (tun-mtu 1400, UDP, TLS client). */
class LinkMtuCalculatorTest {
    private final OccConfig base = OccConfig.defaults(false).withTunMtu(1400);

    @Test
    void aes128CbcSha1WithAndWithoutTlsAuth() {
        OccConfig c = base.withCipher(OccCipher.AES_128_CBC).withAuth(AuthDigest.SHA1);
        assertEquals(1457, LinkMtuCalculator.linkMtu(c.withTlsAuth(KeyDirection.BIDIRECTIONAL)));
        assertEquals(1457, LinkMtuCalculator.linkMtu(c));
    }

    @Test
    void noCipherNoAuthAndNoReplay() {
        OccConfig c = base.withCipher(OccCipher.NONE).withAuth(AuthDigest.NONE);
        assertEquals(1405, LinkMtuCalculator.linkMtu(c));
        assertEquals(1401, LinkMtuCalculator.linkMtu(c.withReplay(false)));
    }

    /** The §8.1(e) example: tun-mtu 1400, TLS client, AES-256-GCM, SHA1 -> 1449. */
    @Test
    void aes256GcmIgnoresTheDigest() {
        assertEquals(1449, LinkMtuCalculator.linkMtu(base.withCipher(OccCipher.AES_256_GCM).withAuth(AuthDigest.SHA1)));
        assertEquals(1449, LinkMtuCalculator.linkMtu(base.withCipher(OccCipher.AES_256_GCM).withAuth(AuthDigest.SHA512)));
    }

    @Test
    void compressionAndFragment() {
        OccConfig c = base.withCipher(OccCipher.AES_256_GCM).withCompression(true).withFragment(true);
        assertEquals(1454, LinkMtuCalculator.linkMtu(c));
    }

    /** §4: stock 2.6.14 defaults (BF-CBC placeholder, SHA1, tun-mtu 1500) send link-mtu 1541. */
    @Test
    void stockDefaults() {
        assertEquals(1541, LinkMtuCalculator.linkMtu(OccConfig.defaults(false)));
        assertEquals(1543, LinkMtuCalculator.linkMtu(OccConfig.defaults(false).withProto(OccProto.TCP_CLIENT)));
        assertEquals(1549, LinkMtuCalculator.linkMtu(OccConfig.defaults(true).withCipher(OccCipher.AES_256_GCM)));
        // OpenSSL reports block size 1 for ChaCha20-Poly1305 (no CBC variant to ask)
        assertEquals(1534, LinkMtuCalculator.linkMtu(OccConfig.defaults(true).withCipher(OccCipher.CHACHA20_POLY1305)));
    }
}
