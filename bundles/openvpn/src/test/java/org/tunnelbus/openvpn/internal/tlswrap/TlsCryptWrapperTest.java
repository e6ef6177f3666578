package org.tunnelbus.openvpn.internal.tlswrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

import static org.tunnelbus.openvpn.internal.ReferenceVectors.*;

/** §2.8 with the vectors of §8.1(b) and the captured session of §8.2. */
class TlsCryptWrapperTest {
    private static final long NOW = CAPTURE_REPLAY_TIME + 1;

    private static Key2 key(String text) {
        try {
            return StaticKeyFile.parse(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final Key2 CAPTURE_KEY = key(CAPTURE_TLS_CRYPT_KEY);

    /** Unwraps and returns the unwrapped form as hex, or the drop reason's counter name. */
    private static String unwrap(ControlChannelWrapper w, String wireHex, ReplayWindow replay) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        DropReason r = w.unwrap(Hex.buffer(wireHex), out, replay, NOW);
        return r == null ? Hex.written(out) : r.counterName();
    }

    private static String wrap(ControlChannelWrapper w, String plainHex, PacketIdCounter ids, long now) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        assertEquals(true, w.wrap(Hex.buffer(plainHex), out, ids, now));
        return Hex.written(out);
    }

    @Test
    void serverUnwrapsTheStockUnitTestClientReset() {
        TlsCryptWrapper server = TlsCryptWrapper.forServer(key(TEST_PKT_STATIC_KEY));
        assertEquals("38f419cb12d1f9e48f" + "0000000000", unwrap(server, CLIENT_RESET_V2_TLS_CRYPT, null));
        assertEquals(54, Hex.bytes(CLIENT_RESET_V2_TLS_CRYPT).length);
    }

    /** test_pkt.c test_tls_decrypt_lite_crypt: flipping any byte makes the server reject the packet. */
    @Test
    void anyFlippedByteOfTheUnitTestResetIsRejected() {
        assertEveryFlipRejected(TlsCryptWrapper.forServer(key(TEST_PKT_STATIC_KEY)), CLIENT_RESET_V2_TLS_CRYPT);
    }

    @Test
    void theClientCannotUnwrapItsOwnDirection() {
        TlsCryptWrapper client = TlsCryptWrapper.forClient(key(TEST_PKT_STATIC_KEY));
        assertEquals("authentication-failed", unwrap(client, CLIENT_RESET_V2_TLS_CRYPT, null));
    }

    /** §8.2 (1): the captured client reset, plaintext {@code 00 00000000}. */
    @Test
    void serverUnwrapsTheCapturedClientReset() {
        TlsCryptWrapper server = TlsCryptWrapper.forServer(CAPTURE_KEY);
        assertEquals("388ea1e93689d0ab63" + Hex.of(Hex.bytes(CAPTURE_CLIENT_RESET_PLAINTEXT)),
                unwrap(server, CAPTURE_CLIENT_RESET, null));
    }

    /** §8.2 (2): the stateless server reset, as the client receives it. */
    @Test
    void clientUnwrapsTheCapturedServerReset() {
        TlsCryptWrapper client = TlsCryptWrapper.forClient(CAPTURE_KEY);
        String plain = unwrap(client, CAPTURE_SERVER_RESET, new ReplayWindow());
        assertEquals("4064aaba152b7a2743" + Hex.of(Hex.bytes(CAPTURE_SERVER_RESET_PLAINTEXT)), plain);
        ControlPacket p = new ControlPacket();
        assertNull(ControlPacketCodec.parse(Hex.buffer(plain), p));
        assertEquals(Opcode.HARD_RESET_SERVER_V2, p.opcode());
        assertEquals(SessionId.fromHex("8ea1e93689d0ab63"), p.peerSessionId());
        assertEquals(0, p.ack(0));
        assertEquals(0, p.messageId());
    }

    /** §8.2 (4): the later P_ACK_V1 (replay id 3). */
    @Test
    void serverUnwrapsTheCapturedAck() {
        TlsCryptWrapper server = TlsCryptWrapper.forServer(CAPTURE_KEY);
        assertEquals("288ea1e93689d0ab63" + Hex.of(Hex.bytes(CAPTURE_CLIENT_ACK_PLAINTEXT)),
                unwrap(server, CAPTURE_CLIENT_ACK, new ReplayWindow()));
    }

    @Test
    void everyFlippedByteOfTheCapturedPacketsIsRejected() {
        assertEveryFlipRejected(TlsCryptWrapper.forServer(CAPTURE_KEY), CAPTURE_CLIENT_RESET);
        assertEveryFlipRejected(TlsCryptWrapper.forClient(CAPTURE_KEY), CAPTURE_SERVER_RESET);
        assertEveryFlipRejected(TlsCryptWrapper.forServer(CAPTURE_KEY), CAPTURE_CLIENT_ACK);
    }

    /** tls-crypt is deterministic: the same replay id and plaintext reproduce the captured bytes. */
    @Test
    void wrappingReproducesTheCapturedPacketsByteForByte() {
        TlsCryptWrapper client = TlsCryptWrapper.forClient(CAPTURE_KEY);
        PacketIdCounter clientIds = PacketIdCounter.longForm();
        assertEquals(CAPTURE_CLIENT_RESET,
                wrap(client, "388ea1e93689d0ab63" + "0000000000", clientIds, CAPTURE_REPLAY_TIME));
        clientIds.next(CAPTURE_REPLAY_TIME); // id 2 went to the ClientHello
        assertEquals(CAPTURE_CLIENT_ACK, wrap(client, "288ea1e93689d0ab63" + "0200000001000000"
                + "0064aaba152b7a2743", clientIds, CAPTURE_REPLAY_TIME));

        TlsCryptWrapper server = TlsCryptWrapper.forServer(CAPTURE_KEY);
        assertEquals(CAPTURE_SERVER_RESET, wrap(server, "4064aaba152b7a2743" + "01000000008ea1e93689d0ab6300000000",
                PacketIdCounter.longForm(), CAPTURE_REPLAY_TIME));
    }

    @Test
    void replaysAreRejectedWhenAWindowIsGiven() {
        TlsCryptWrapper server = TlsCryptWrapper.forServer(CAPTURE_KEY);
        ReplayWindow window = new ReplayWindow();
        assertEquals(false, unwrap(server, CAPTURE_CLIENT_RESET, window).equals("replay"));
        assertEquals("replay", unwrap(server, CAPTURE_CLIENT_RESET, window));
        // the stateless first-packet check passes no window and may see the same packet again
        assertEquals(false, unwrap(server, CAPTURE_CLIENT_RESET, null).equals("replay"));
    }

    @Test
    void roundTripBetweenRolesWithFreshReplayIds() {
        Key2 key = StaticKeyFile.generate(new java.security.SecureRandom());
        TlsCryptWrapper client = TlsCryptWrapper.forClient(key);
        TlsCryptWrapper server = TlsCryptWrapper.forServer(key);
        PacketIdCounter ids = PacketIdCounter.longForm();
        ReplayWindow window = new ReplayWindow();
        String plain = "20 0102030405060708 00 00000001 " + "ab".repeat(1000);
        String first = wrap(client, plain, ids, NOW);
        String second = wrap(client, plain, ids, NOW); // a retransmission: new replay id, new bytes
        assertEquals(false, first.equals(second));
        assertEquals(Hex.of(Hex.bytes(plain)), unwrap(server, first, window));
        assertEquals(Hex.of(Hex.bytes(plain)), unwrap(server, second, window));
        assertEquals(Hex.bytes(plain).length + TlsCryptWrapper.OVERHEAD, Hex.bytes(first).length);
    }

    @Test
    void tooShortPacketsAreRefused() {
        TlsCryptWrapper server = TlsCryptWrapper.forServer(CAPTURE_KEY);
        assertEquals("too-short", unwrap(server, CAPTURE_CLIENT_RESET.substring(0, 2 * 48), null));
    }

    @Test
    void exhaustedReplayCounterRefusesToWrap() {
        TlsCryptWrapper client = TlsCryptWrapper.forClient(CAPTURE_KEY);
        // the last id of the counter's second is used up: no id until the clock moves on
        PacketIdCounter full = PacketIdCounter.longFormAfter(PacketIdCounter.MAX_ID);
        assertEquals(false, client.wrap(Hex.buffer("388ea1e93689d0ab630000000000"), ByteBuffer.allocate(100), full, 0));
    }

    static void assertEveryFlipRejected(ControlChannelWrapper w, String wireHex) {
        byte[] wire = Hex.bytes(wireHex);
        for (int i = 0; i < wire.length; i++) {
            byte[] bad = wire.clone();
            bad[i] = (byte) (bad[i] == 0x23 ? 0x24 : 0x23); // test_pkt.c writes 0x23
            DropReason r = w.unwrap(ByteBuffer.wrap(bad), ByteBuffer.allocate(2048), null, NOW);
            assertEquals(DropReason.AUTHENTICATION_FAILED, r, "byte " + i);
        }
    }
}
