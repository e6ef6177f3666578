package org.tunnelbus.openvpn.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;

/** §2.11, §5.1. */
class ControlMessageCodecTest {
    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** test_pkt.c test_extract_control_message, with the C string's own terminating NUL. */
    @Test
    void extractsLikeStock() {
        ByteBuffer in = bytes("valid control message\r\n\0\0Invalid\r\none\0valid one again\0");
        assertEquals("valid control message", ControlMessageCodec.next(in));
        assertEquals("", ControlMessageCodec.next(in)); // empty message with just a NUL
        assertNull(ControlMessageCodec.next(in)); // CR/LF inside: discarded
        assertEquals("valid one again", ControlMessageCodec.next(in));
        assertNull(ControlMessageCodec.next(in)); // nothing left
    }

    @Test
    void bytesWithoutNulAreDiscarded() {
        ByteBuffer in = bytes("no NUL");
        assertNull(ControlMessageCodec.next(in));
        assertEquals(0, in.remaining());
    }

    @Test
    void splitKeepsUsableMessagesOnly() {
        assertEquals(List.of("PUSH_REQUEST", "EXIT"),
                ControlMessageCodec.split(bytes("PUSH_REQUEST\0\0bad\u0007\0EXIT\n\0tail")));
        assertEquals(List.of(), ControlMessageCodec.split(bytes("\0")));
    }

    @Test
    void encodeAppendsTheNul() {
        assertEquals(Hex.of("PUSH_REQUEST".getBytes(StandardCharsets.US_ASCII)) + "00",
                Hex.of(ControlMessageCodec.encode("PUSH_REQUEST")));
        assertThrows(IllegalArgumentException.class, () -> ControlMessageCodec.encode("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> ControlMessageCodec.encode("x".repeat(2048)));
        assertEquals("x".repeat(2047), ControlMessageCodec.next(ByteBuffer.wrap(ControlMessageCodec.encode("x".repeat(2047)))));
    }

    @Test
    void kindByPrefixInStockOrder() {
        assertEquals(ControlMessageKind.AUTH_FAILED, ControlMessageKind.of("AUTH_FAILED,TEMP[backoff 5]:x"));
        assertEquals(ControlMessageKind.PUSH_REQUEST, ControlMessageKind.of("PUSH_REQUEST"));
        assertEquals(ControlMessageKind.PUSH_REPLY, ControlMessageKind.of("PUSH_REPLY,ping 10"));
        assertEquals(ControlMessageKind.PUSH_UPDATE, ControlMessageKind.of("PUSH_UPDATE,route 1.2.3.4"));
        assertEquals(ControlMessageKind.PUSH_OTHER, ControlMessageKind.of("PUSH_SOMETHING,x"));
        assertEquals(ControlMessageKind.RESTART, ControlMessageKind.of("RESTART,[N]"));
        assertEquals(ControlMessageKind.HALT, ControlMessageKind.of("HALT,bye"));
        assertEquals(ControlMessageKind.INFO_PRE, ControlMessageKind.of("INFO_PRE,WEB_AUTH::https://x"));
        assertEquals(ControlMessageKind.INFO, ControlMessageKind.of("INFO,hello"));
        assertEquals(ControlMessageKind.CR_RESPONSE, ControlMessageKind.of("CR_RESPONSE,abc="));
        assertEquals(ControlMessageKind.AUTH_PENDING, ControlMessageKind.of("AUTH_PENDING,timeout 60"));
        assertEquals(ControlMessageKind.EXIT, ControlMessageKind.of("EXIT"));
        assertEquals(ControlMessageKind.UNKNOWN, ControlMessageKind.of("HELLO"));
    }
}
