package org.tunnelbus.openvpn.internal.tlswrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFormatException;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/** §8.1(d): the tls-crypt-v2 keys of test_tls_crypt.c. */
class TlsCryptV2KeysTest {

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void unwrapsTheStockClientKeyWithTheStockServerKey() throws Exception {
        TlsCryptV2Keys.ClientKey client = TlsCryptV2Keys.parseClientKey(ReferenceVectors.TLS_CRYPT_V2_CLIENT_KEY);
        assertArrayEquals(counting(256), client.key().toByteArray());
        assertEquals(299, client.wrappedKey().length);
        assertEquals("012b", Hex.of(client.wrappedKey()).substring(2 * 297));

        TlsCryptCipher server = TlsCryptV2Keys.parseServerKey(ReferenceVectors.TLS_CRYPT_V2_SERVER_KEY);
        TlsCryptV2Keys.UnwrappedKey unwrapped = TlsCryptV2Keys.unwrap(ByteBuffer.wrap(client.wrappedKey()), server)
                .value();
        assertArrayEquals(counting(256), unwrapped.key().toByteArray());
        assertEquals("01" + "0000000000000000", Hex.of(unwrapped.metadata())); // TIMESTAMP, time 0
    }

    @Test
    void anyChangeToTheWrappedKeyIsRefused() throws Exception {
        byte[] wkc = TlsCryptV2Keys.parseClientKey(ReferenceVectors.TLS_CRYPT_V2_CLIENT_KEY).wrappedKey();
        for (int i = 0; i < wkc.length; i++) {
            byte[] bad = wkc.clone();
            bad[i] ^= 0x40;
            TlsCryptCipher server = TlsCryptV2Keys.parseServerKey(ReferenceVectors.TLS_CRYPT_V2_SERVER_KEY);
            DropReason r = TlsCryptV2Keys.unwrap(ByteBuffer.wrap(bad), server).reason();
            assertEquals(i >= wkc.length - 2 ? DropReason.WRAPPED_KEY_INVALID : DropReason.AUTHENTICATION_FAILED, r,
                    "byte " + i);
        }
    }

    @Test
    void refusesBadLengthsAndFiles() throws Exception {
        TlsCryptCipher server = TlsCryptV2Keys.parseServerKey(ReferenceVectors.TLS_CRYPT_V2_SERVER_KEY);
        assertEquals(DropReason.WRAPPED_KEY_INVALID,
                TlsCryptV2Keys.unwrap(ByteBuffer.wrap(new byte[] {0, 2}), server).reason());
        byte[] huge = new byte[1025];
        huge[1023] = 0x04;
        huge[1024] = 0x01;
        assertEquals(DropReason.WRAPPED_KEY_INVALID, TlsCryptV2Keys.unwrap(ByteBuffer.wrap(huge), server).reason());
        assertThrows(StaticKeyFormatException.class,
                () -> TlsCryptV2Keys.parseServerKey(ReferenceVectors.TLS_CRYPT_V2_CLIENT_KEY));
        assertThrows(StaticKeyFormatException.class, () -> TlsCryptV2Keys.parseServerKey(
                "-----BEGIN OpenVPN tls-crypt-v2 server key-----\nAAEC\n-----END OpenVPN tls-crypt-v2 server key-----"));
    }
}
