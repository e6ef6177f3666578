package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** §2.7: key_direction_state_init() and keydirection2ascii(). */
class KeyDirectionTest {
    @Test
    void keyIndexesPerDirection() {
        assertEquals(0, KeyDirection.BIDIRECTIONAL.sendIndex());
        assertEquals(0, KeyDirection.BIDIRECTIONAL.receiveIndex());
        assertEquals(0, KeyDirection.NORMAL.sendIndex());
        assertEquals(1, KeyDirection.NORMAL.receiveIndex());
        assertEquals(1, KeyDirection.INVERSE.sendIndex());
        assertEquals(0, KeyDirection.INVERSE.receiveIndex());
    }

    @Test
    void parsesConfigValues() {
        assertEquals(KeyDirection.BIDIRECTIONAL, KeyDirection.parse(null));
        assertEquals(KeyDirection.NORMAL, KeyDirection.parse("0"));
        assertEquals(KeyDirection.INVERSE, KeyDirection.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> KeyDirection.parse("2"));
    }

    @Test
    void occValuesSwapForTheRemoteVariant() {
        assertNull(KeyDirection.BIDIRECTIONAL.occValue(false));
        assertEquals("0", KeyDirection.NORMAL.occValue(false));
        assertEquals("1", KeyDirection.NORMAL.occValue(true));
        assertEquals("1", KeyDirection.INVERSE.occValue(false));
        assertEquals("0", KeyDirection.INVERSE.occValue(true));
    }
}
