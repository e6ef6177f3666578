package org.tunnelbus.openvpn.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.control.PeerInfo;

/** §3.3/§3.4: ncp_get_best_cipher(). */
class DataCipherNegotiationTest {
    private static final List<String> SERVER = List.of("CHACHA20-POLY1305", "AES-128-GCM", "AES-256-GCM");

    @Test
    void firstServerCipherInTheClientsList() {
        PeerInfo stock = PeerInfo.parse(ReferenceVectors.CAPTURE_PEER_INFO);
        assertEquals(Optional.of("CHACHA20-POLY1305"), DataCipherNegotiation.choose(SERVER, stock, null));
        assertEquals(Optional.of("AES-256-GCM"),
                DataCipherNegotiation.choose(List.of("AES-256-GCM", "AES-128-GCM"), stock, null));
    }

    @Test
    void ivNcp2StandsForTheTwoGcmCiphers() {
        PeerInfo old = PeerInfo.parse("IV_NCP=2\n");
        assertEquals(Optional.of("AES-128-GCM"), DataCipherNegotiation.choose(SERVER, old, null));
        assertTrue(DataCipherNegotiation.clientSupportsNcp(old));
    }

    /** Poor man's NCP: the options-string cipher counts only when IV_CIPHERS is absent. */
    @Test
    void occCipherFallback() {
        PeerInfo noNcp = PeerInfo.parse("IV_VER=2.3.18\n");
        assertFalse(DataCipherNegotiation.clientSupportsNcp(noNcp));
        assertEquals(Optional.of("AES-256-GCM"), DataCipherNegotiation.choose(SERVER, noNcp, "AES-256-GCM"));
        assertEquals(Optional.empty(), DataCipherNegotiation.choose(SERVER, noNcp, "BF-CBC"));
        PeerInfo modern = PeerInfo.parse("IV_CIPHERS=AES-128-GCM\n");
        assertEquals(Optional.of("AES-128-GCM"), DataCipherNegotiation.choose(SERVER, modern, "CHACHA20-POLY1305"));
    }

    @Test
    void noCommonCipher() {
        assertEquals(Optional.empty(),
                DataCipherNegotiation.choose(SERVER, PeerInfo.parse("IV_CIPHERS=BF-CBC\n"), null));
        assertEquals(Optional.empty(), DataCipherNegotiation.choose(SERVER, PeerInfo.empty(), null));
    }
}
