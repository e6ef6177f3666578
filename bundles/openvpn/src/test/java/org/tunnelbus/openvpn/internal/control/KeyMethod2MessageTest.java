package org.tunnelbus.openvpn.internal.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.ParseResult;

/** §3.1. */
class KeyMethod2MessageTest {
    private static final String OPTIONS = ReferenceVectors.CAPTURE_OCC_CLIENT;
    private final KeySource clientSource = new KeySource(filled(48, 0x11), filled(32, 0x22), filled(32, 0x33));
    private final KeySource serverSource = new KeySource(null, filled(32, 0x44), filled(32, 0x55));

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static String str(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return String.format("%04x", b.length + 1) + Hex.of(b) + "00";
    }

    @Test
    void clientRecordLayout() {
        byte[] wire = KeyMethod2Message.fromClient(clientSource, OPTIONS, "alice", "secret",
                ReferenceVectors.CAPTURE_PEER_INFO).encode();
        String expected = "00000000" + "02" + "11".repeat(48) + "22".repeat(32) + "33".repeat(32)
                + str(OPTIONS) + str("alice") + str("secret") + str(ReferenceVectors.CAPTURE_PEER_INFO);
        assertEquals(expected, Hex.of(wire));
    }

    /** The client's credentials path: the same bytes, with a password that was never a String. */
    @Test
    void clientRecordWithAByteArrayPassword() {
        byte[] wire = KeyMethod2Message.encodeClient(clientSource, OPTIONS, "alice",
                "secret".getBytes(StandardCharsets.UTF_8), ReferenceVectors.CAPTURE_PEER_INFO);
        assertArrayEquals(KeyMethod2Message.fromClient(clientSource, OPTIONS, "alice", "secret",
                ReferenceVectors.CAPTURE_PEER_INFO).encode(), wire);
        assertThrows(IllegalArgumentException.class, () -> KeyMethod2Message.encodeClient(clientSource, OPTIONS,
                "alice", new byte[] {'a', 0}, ""));
    }

    /** The server sends no pre_master, and empty strings are a bare zero length ({@code 00 00}). */
    @Test
    void serverRecordLayout() {
        byte[] wire = KeyMethod2Message.fromServer(serverSource, ReferenceVectors.CAPTURE_OCC_SERVER).encode();
        String expected = "00000000" + "02" + "44".repeat(32) + "55".repeat(32)
                + str(ReferenceVectors.CAPTURE_OCC_SERVER) + "0000" + "0000" + "0000";
        assertEquals(expected, Hex.of(wire));
    }

    @Test
    void roundTripsBothDirections() {
        KeyMethod2Message c = KeyMethod2Message.fromClient(clientSource, OPTIONS, "alice", "secret",
                ReferenceVectors.CAPTURE_PEER_INFO);
        KeyMethod2Message parsed = KeyMethod2Message.parse(ByteBuffer.wrap(c.encode()), true).value();
        assertArrayEquals(clientSource.preMaster(), parsed.keySource().preMaster());
        assertArrayEquals(clientSource.random2(), parsed.keySource().random2());
        assertEquals(OPTIONS, parsed.options());
        assertEquals("alice", parsed.username());
        assertEquals("secret", parsed.password());
        assertEquals(990, parsed.peerInfo().ivProto());
        assertFalse(parsed.credentialsTooLong());

        KeyMethod2Message s = KeyMethod2Message.fromServer(serverSource, ReferenceVectors.CAPTURE_OCC_SERVER);
        KeyMethod2Message sp = KeyMethod2Message.parse(ByteBuffer.wrap(s.encode()), false).value();
        assertFalse(sp.keySource().hasPreMaster());
        assertArrayEquals(serverSource.random1(), sp.keySource().random1());
        assertEquals("", sp.username());
        assertEquals("", sp.peerInfoText());
    }

    @Test
    void optionsStringLimit() {
        String max = "V4" + "x".repeat(509); // 511 + NUL = 512
        assertEquals(max, KeyMethod2Message.parse(ByteBuffer.wrap(
                KeyMethod2Message.fromServer(serverSource, max).encode()), false).value().options());
        assertThrows(IllegalArgumentException.class, () -> KeyMethod2Message.fromServer(serverSource, max + "y"));
        assertThrows(IllegalArgumentException.class, () -> KeyMethod2Message.fromServer(serverSource, ""));
        assertThrows(IllegalArgumentException.class, () -> KeyMethod2Message.fromServer(clientSource, "V4"));
        assertThrows(IllegalArgumentException.class,
                () -> KeyMethod2Message.fromClient(serverSource, "V4", "", "", ""));
        assertThrows(IllegalArgumentException.class,
                () -> KeyMethod2Message.fromClient(clientSource, "V4", "a\0b", "", ""));
    }

    private static String serverHead() {
        return "00000000" + "02" + "44".repeat(32) + "55".repeat(32);
    }

    private static DropReason parseHex(String hex) {
        return KeyMethod2Message.parse(Hex.buffer(hex), false).reason();
    }

    @Test
    void refusesBadRecords() {
        assertEquals(DropReason.KEY_METHOD_TRUNCATED, parseHex("00000000"));
        assertEquals(DropReason.KEY_METHOD_UNSUPPORTED, parseHex("0000000001" + "44".repeat(64) + "0003563400"));
        assertEquals(DropReason.KEY_METHOD_TRUNCATED, parseHex("0000000002" + "44".repeat(63)));
        assertEquals(DropReason.OPTIONS_STRING_MISSING, parseHex(serverHead()));
        assertEquals(DropReason.OPTIONS_STRING_MISSING, parseHex(serverHead() + "0000"));
        assertEquals(DropReason.OPTIONS_STRING_TOO_LONG, parseHex(serverHead() + "0201" + "41".repeat(513)));
        assertEquals(DropReason.STRING_TRUNCATED, parseHex(serverHead() + "0004" + "5634"));
        assertEquals(DropReason.STRING_TRUNCATED, parseHex(serverHead() + "0003563400" + "0005" + "6162"));
        assertEquals(DropReason.STRING_TRUNCATED, parseHex(serverHead() + "0003563400" + "00"));
    }

    /** Only the low four bits are the method; flags in the high bits are tolerated, like stock. */
    @Test
    void methodFlagsAreIgnored() {
        assertNull(parseHex("00000000" + "12" + "44".repeat(64) + "0003563400"));
    }

    @Test
    void recordEndingAfterTheOptionsLeavesTheRestEmpty() {
        KeyMethod2Message m = KeyMethod2Message.parse(Hex.buffer(serverHead() + "0003563400"), false).value();
        assertEquals("V4", m.options());
        assertEquals("", m.username());
        assertEquals("", m.password());
        assertEquals("", m.peerInfoText());
    }

    @Test
    void aStringEndsAtItsFirstNulAndTrailingBytesAreIgnored() {
        KeyMethod2Message m = KeyMethod2Message.parse(
                Hex.buffer(serverHead() + "0006" + "5634003939" + "00" + "0000" + "0000" + "0000" + "deadbeef"), false)
                .value();
        assertEquals("V4", m.options());
    }

    /** Over-long credentials give AUTH_FAILED later, not a protocol error (USER_PASS_LEN). */
    @Test
    void overLongCredentialsAreFlagged() {
        byte[] wire = KeyMethod2Message.fromClient(clientSource, OPTIONS, "u".repeat(200), "p", "IV_PROTO=2\n").encode();
        KeyMethod2Message m = KeyMethod2Message.parse(ByteBuffer.wrap(wire), true).value();
        assertTrue(m.credentialsTooLong());
        assertEquals("", m.username());
        assertEquals("", m.password());
        assertEquals(2, m.peerInfo().ivProto());
        byte[] ok = KeyMethod2Message.fromClient(clientSource, OPTIONS, "u".repeat(127), "p", "").encode();
        assertFalse(KeyMethod2Message.parse(ByteBuffer.wrap(ok), true).value().credentialsTooLong());
    }

    @Test
    void everyTruncationAndRandomGarbageIsHandledWithoutThrowing() {
        byte[] wire = KeyMethod2Message.fromClient(clientSource, OPTIONS, "alice", "secret",
                ReferenceVectors.CAPTURE_PEER_INFO).encode();
        for (int n = 0; n <= wire.length; n++) {
            ParseResult<KeyMethod2Message> r = KeyMethod2Message.parse(ByteBuffer.wrap(wire, 0, n), true);
            if (n < 5 + 48 + 64 + 2 + OPTIONS.length() + 1) {
                assertFalse(r.isOk(), "prefix " + n);
            }
        }
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(400)];
            random.nextBytes(b);
            if (b.length > 4) {
                b[4] = 2;
            }
            KeyMethod2Message.parse(ByteBuffer.wrap(b), random.nextBoolean());
        }
    }

    @Test
    void toStringHidesThePassword() {
        String s = KeyMethod2Message.fromClient(clientSource, OPTIONS, "alice", "secret", "").toString();
        assertFalse(s.contains("secret"));
        assertTrue(s.contains("***"));
    }
}
