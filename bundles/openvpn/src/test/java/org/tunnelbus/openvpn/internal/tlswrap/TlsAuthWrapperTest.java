package org.tunnelbus.openvpn.internal.tlswrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.DropReason;

import static org.tunnelbus.openvpn.internal.ReferenceVectors.*;

/** §2.7 with the vectors of §8.1(b) (test_pkt.c). */
class TlsAuthWrapperTest {
    private static final long NOW = 0x61d3bf6cL;
    private static final Key2 KEY = key();

    private static Key2 key() {
        try {
            return StaticKeyFile.parse(TEST_PKT_STATIC_KEY);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String unwrap(ControlChannelWrapper w, String wireHex, ReplayWindow replay) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        DropReason r = w.unwrap(Hex.buffer(wireHex), out, replay, NOW);
        return r == null ? Hex.written(out) : r.counterName();
    }

    /** The server (key-direction 0) verifies with keys[1].hmac, which the direction-1 client signed with. */
    @Test
    void serverVerifiesTheClientResetOfTheUnitTest() {
        TlsAuthWrapper server = new TlsAuthWrapper(KEY, KeyDirection.NORMAL, AuthDigest.SHA1);
        assertEquals("38de694c5c7bfba274" + "0000000000", unwrap(server, CLIENT_RESET_V2_TLS_AUTH, null));
        assertEquals(42, Hex.bytes(CLIENT_RESET_V2_TLS_AUTH).length);
    }

    /** test_tls_decrypt_lite_auth: the wrong key direction gives a wrong HMAC key. */
    @Test
    void wrongDirectionFails() {
        assertEquals("authentication-failed", unwrap(new TlsAuthWrapper(KEY, KeyDirection.INVERSE, AuthDigest.SHA1),
                CLIENT_RESET_V2_TLS_AUTH, null));
        assertEquals("authentication-failed", unwrap(new TlsAuthWrapper(KEY, KeyDirection.BIDIRECTIONAL,
                AuthDigest.SHA1), CLIENT_RESET_V2_TLS_AUTH, null));
    }

    @Test
    void serverVerifiesTheControlPacketWithClientHello() {
        TlsAuthWrapper server = new TlsAuthWrapper(KEY, KeyDirection.NORMAL, AuthDigest.SHA1);
        String plain = unwrap(server, CLIENT_ACK_TLS_AUTH_RANDOMID, null);
        // header, no ACKs, message id 1, then the TLS record (the HMAC and replay id are gone)
        assertEquals("2014014ebc80c6142b" + "00" + "00000001" + "160301010c", plain.substring(0, 2 * 19));
        assertEquals(Hex.bytes(CLIENT_ACK_TLS_AUTH_RANDOMID).length - 28, plain.length() / 2);
    }

    /** The client (key-direction 1) reproduces the 42-byte reset from its replay id (1, 0x61d3bf6c). */
    @Test
    void clientWrapReproducesTheVector() {
        TlsAuthWrapper client = new TlsAuthWrapper(KEY, KeyDirection.INVERSE, AuthDigest.SHA1);
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(true, client.wrap(Hex.buffer("38de694c5c7bfba274" + "0000000000"), out,
                PacketIdCounter.longForm(), NOW));
        assertEquals(Hex.of(Hex.bytes(CLIENT_RESET_V2_TLS_AUTH)), Hex.written(out));
    }

    @Test
    void flippingAnyByteFails() {
        TlsCryptWrapperTest.assertEveryFlipRejected(new TlsAuthWrapper(KEY, KeyDirection.NORMAL, AuthDigest.SHA1),
                CLIENT_RESET_V2_TLS_AUTH);
    }

    @Test
    void tooShortAndReplayed() {
        TlsAuthWrapper server = new TlsAuthWrapper(KEY, KeyDirection.NORMAL, AuthDigest.SHA1);
        assertEquals("too-short", unwrap(server, CLIENT_RESET_V2_NONE, null));
        ReplayWindow window = new ReplayWindow();
        assertEquals("38de694c5c7bfba274" + "0000000000", unwrap(server, CLIENT_RESET_V2_TLS_AUTH, window));
        assertEquals("replay", unwrap(server, CLIENT_RESET_V2_TLS_AUTH, window));
    }

    @ParameterizedTest
    @EnumSource(value = AuthDigest.class, names = {"SHA1", "SHA256", "SHA512"})
    void roundTripForEveryDigest(AuthDigest digest) {
        Key2 key = StaticKeyFile.generate(new SecureRandom());
        TlsAuthWrapper client = new TlsAuthWrapper(key, KeyDirection.INVERSE, digest);
        TlsAuthWrapper server = new TlsAuthWrapper(key, KeyDirection.NORMAL, digest);
        String plain = "200102030405060708" + "010000000711111111111111110000000a" + "cafe".repeat(100);
        ByteBuffer wire = ByteBuffer.allocate(2048);
        client.wrap(Hex.buffer(plain), wire, PacketIdCounter.longForm(), NOW);
        assertEquals(Hex.bytes(plain).length + digest.length() + 8, wire.position());
        assertEquals(digest.length() + 8, client.overhead());
        assertEquals(Hex.of(Hex.bytes(plain)), unwrap(server, Hex.written(wire), new ReplayWindow()));
        // the other direction uses the other key half
        assertEquals("authentication-failed", unwrap(client, Hex.written(wire), null));
    }

    @Test
    void bidirectionalUsesKeysZeroBothWays() {
        Key2 key = StaticKeyFile.generate(new SecureRandom());
        TlsAuthWrapper a = new TlsAuthWrapper(key, KeyDirection.BIDIRECTIONAL, AuthDigest.SHA256);
        ByteBuffer wire = ByteBuffer.allocate(128);
        a.wrap(Hex.buffer("380102030405060708" + "0000000000"), wire, PacketIdCounter.longForm(), NOW);
        assertEquals("380102030405060708" + "0000000000", unwrap(a, Hex.written(wire), null));
    }

    @Test
    void noneIsNoTlsAuthDigest() {
        assertThrows(IllegalArgumentException.class, () -> new TlsAuthWrapper(KEY, KeyDirection.NORMAL, AuthDigest.NONE));
        assertEquals(AuthDigest.SHA256, AuthDigest.ofName("sha256"));
        assertThrows(IllegalArgumentException.class, () -> AuthDigest.ofName("MD4"));
    }
}
