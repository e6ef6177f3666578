package org.tunnelbus.openvpn.internal.tlswrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;

class PlainWrapperTest {
    @Test
    void wireFormIsTheUnwrappedForm() {
        PlainWrapper w = new PlainWrapper();
        ByteBuffer in = Hex.buffer(ReferenceVectors.CLIENT_RESET_V2_NONE);
        ByteBuffer out = ByteBuffer.allocate(32);
        assertNull(w.unwrap(in, out, null, 0));
        assertEquals(Hex.of(in), Hex.written(out));
        assertEquals(0, in.position());
        out.clear();
        w.wrap(in, out, null, 0);
        assertEquals(Hex.of(in), Hex.written(out));
        assertEquals(0, w.overhead());
    }
}
