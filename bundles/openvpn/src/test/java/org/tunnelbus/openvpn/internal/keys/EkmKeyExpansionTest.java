package org.tunnelbus.openvpn.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;

class EkmKeyExpansionTest {

    /** §3.3 method A: 256 bytes from the exporter with label EXPORTER-OpenVPN-datakeys become the key block. */
    @Test
    void takesTheKeyBlockFromTheExporter() {
        List<String> asked = new ArrayList<>();
        Key2 key2 = EkmKeyExpansion.derive((label, length) -> {
            asked.add(label + "/" + length);
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                b[i] = (byte) i;
            }
            return b;
        });
        assertEquals(List.of("EXPORTER-OpenVPN-datakeys/256"), asked);
        assertEquals("8081", Hex.of(key2.cipher(1, 2)));
    }
}
