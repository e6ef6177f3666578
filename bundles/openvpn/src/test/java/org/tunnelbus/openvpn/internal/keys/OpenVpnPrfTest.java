package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class OpenVpnPrfTest {

    /** §8.1(a): test_crypto.c crypto_test_tls_prf (an odd-length secret: the halves overlap by one byte). */
    @Test
    void matchesTheStockUnitTestVector() {
        byte[] secret = ReferenceVectors.PRF_SECRET.getBytes(StandardCharsets.US_ASCII);
        byte[] seed = ReferenceVectors.PRF_SEED.getBytes(StandardCharsets.US_ASCII);
        assertEquals(1, secret.length % 2);
        assertEquals(ReferenceVectors.PRF_OUTPUT, Hex.of(OpenVpnPrf.prf(secret, seed, 32)));
    }

    @Test
    void shorterOutputIsAPrefix() {
        byte[] secret = ReferenceVectors.PRF_SECRET.getBytes(StandardCharsets.US_ASCII);
        byte[] seed = ReferenceVectors.PRF_SEED.getBytes(StandardCharsets.US_ASCII);
        assertEquals(ReferenceVectors.PRF_OUTPUT.substring(0, 22), Hex.of(OpenVpnPrf.prf(secret, seed, 11)));
        assertEquals(300, OpenVpnPrf.prf(secret, seed, 300).length);
    }
}
