package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;

class Key2Test {
    private static byte[] counting() {
        byte[] b = new byte[Key2.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** §3.3 layout: keys[0].cipher 0..63, keys[0].hmac 64..127, keys[1].cipher 128..191, keys[1].hmac 192..255. */
    @Test
    void slicesFollowTheKey2Layout() {
        Key2 k = Key2.of(counting());
        assertEquals("00010203", Hex.of(k.cipher(0, 4)));
        assertEquals("40414243", Hex.of(k.hmac(0, 4)));
        assertEquals("80818283", Hex.of(k.cipher(1, 4)));
        assertEquals("c0c1c2c3", Hex.of(k.hmac(1, 4)));
        assertEquals(64, k.hmac(1, 64).length);
        assertThrows(IllegalArgumentException.class, () -> k.hmac(1, 65));
        assertThrows(IllegalArgumentException.class, () -> k.cipher(2, 1));
        assertThrows(IllegalArgumentException.class, () -> Key2.of(new byte[128]));
    }

    @Test
    void xorAndDestroy() {
        Key2 k = Key2.of(counting());
        assertEquals("00000000", Hex.of(k.xor(k).cipher(0, 4)));
        k.destroy();
        assertEquals("00000000", Hex.of(k.hmac(1, 4)));
    }

    @Test
    void toStringShowsNoKeyBytes() {
        assertEquals("Key2[256 bytes]", Key2.of(counting()).toString());
    }
}
