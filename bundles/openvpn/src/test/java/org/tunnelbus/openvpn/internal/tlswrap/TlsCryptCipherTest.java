package org.tunnelbus.openvpn.internal.tlswrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class TlsCryptCipherTest {
    private static byte[] ba() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0xBA);
        return k;
    }

    /** §8.1(c): test_tls_crypt.c test_tls_crypt_secure_reneg_key, Ke = Ka = 32 x 0xBA. */
    @Test
    void sealMatchesTheStockVectorExactly() {
        TlsCryptCipher cipher = new TlsCryptCipher(ba(), ba());
        ByteBuffer out = ByteBuffer.allocate(64);
        byte[] header = Hex.bytes("00000001 00000000");
        out.put(header);
        cipher.seal(ByteBuffer.wrap(header), ByteBuffer.wrap("1234567890".getBytes(StandardCharsets.US_ASCII)), out);
        assertEquals(Hex.of(Hex.bytes(ReferenceVectors.TLS_CRYPT_RENEG_OUTPUT)), Hex.written(out));
        assertEquals(10 + 40, out.position());
    }

    @Test
    void openRecoversThePlaintextAndRejectsAnyChange() {
        byte[] wire = Hex.bytes(ReferenceVectors.TLS_CRYPT_RENEG_OUTPUT);
        assertEquals("1234567890", open(wire));
        for (int i = 0; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] ^= 0x01;
            assertEquals(null, open(bad), "flipped byte " + i);
        }
    }

    private static String open(byte[] wire) {
        TlsCryptCipher cipher = new TlsCryptCipher(ba(), ba());
        ByteBuffer out = ByteBuffer.allocate(64);
        boolean ok = cipher.open(ByteBuffer.wrap(wire, 0, 8), ByteBuffer.wrap(wire, 8, 32),
                ByteBuffer.wrap(wire, 40, wire.length - 40), out);
        if (!ok) {
            assertEquals(0, out.position());
            return null;
        }
        return new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void emptyPlaintextStillCarriesATag() {
        TlsCryptCipher cipher = new TlsCryptCipher(ba(), ba());
        ByteBuffer out = ByteBuffer.allocate(32);
        cipher.seal(ByteBuffer.allocate(0), ByteBuffer.allocate(0), out);
        assertEquals(32, out.position());
        ByteBuffer plain = ByteBuffer.allocate(0);
        assertTrue(new TlsCryptCipher(ba(), ba()).open(ByteBuffer.allocate(0), out.flip(), ByteBuffer.allocate(0), plain));
        byte[] other = ba();
        other[0] = 0;
        assertFalse(new TlsCryptCipher(ba(), other).open(ByteBuffer.allocate(0), out.rewind(), ByteBuffer.allocate(0),
                ByteBuffer.allocate(0)));
    }
}
