package org.tunnelbus.openvpn.internal.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.Hex;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.openvpn.internal.tlswrap.TlsCryptWrapper;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/** §2.5, following test_pkt.c test_verify_hmac_none / test_verify_hmac_none_out_of_range_ack. */
class HmacSessionCookieTest {
    private static final long CLIENT_SID = SessionId.fromHex("aeb9afe1f01d79c8");
    private final InetSocketAddress client = address("1.2.3.4", 1194);
    /** hand-window 30 as in the stock test: 15-second slots. */
    private final HmacSessionCookie cookie = new HmacSessionCookie(key(), 30);

    private static byte[] key() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        return k;
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ControlPacket parse(String hex) {
        ControlPacket p = new ControlPacket();
        assertNull(ControlPacketCodec.parse(Hex.buffer(hex), p));
        return p;
    }

    /** client_ack_none_random_id with the echoed id replaced by the cookie for {@code now}. */
    private ControlPacket ackWithCookie(long now) {
        String sid = SessionId.toHex(cookie.serverSessionId(client, CLIENT_SID, now));
        return parse("28 aeb9afe1f01d79c8 01 00000000 " + sid);
    }

    @Test
    void aRandomServerIdIsRefused() {
        assertEquals(DropReason.COOKIE_MISMATCH,
                cookie.checkFollowUp(parse(ReferenceVectors.CLIENT_ACK_NONE_RANDOM_ID), client, 1000));
    }

    @Test
    void theCookieOfTheCurrentOrTwoPreviousSlotsIsAccepted() {
        ControlPacket ack = ackWithCookie(1000); // slot 66 = [990, 1005)
        assertNull(cookie.checkFollowUp(ack, client, 1000));
        // the stock test's times: slots (975,990) (990,1005) (1005,1020) (1020,1035) (1035,1050)
        assertEquals(DropReason.COOKIE_MISMATCH, cookie.checkFollowUp(ack, client, 980));
        assertEquals(DropReason.COOKIE_MISMATCH, cookie.checkFollowUp(ack, client, 1040));
        assertNull(cookie.checkFollowUp(ack, client, 1002));
        assertNull(cookie.checkFollowUp(ack, client, 1010));
        assertNull(cookie.checkFollowUp(ack, client, 1022));
    }

    @Test
    void theCookieIsBoundToAddressPortAndClientSession() {
        ControlPacket ack = ackWithCookie(1000);
        assertEquals(DropReason.COOKIE_MISMATCH, cookie.checkFollowUp(ack, address("1.2.3.5", 1194), 1000));
        assertEquals(DropReason.COOKIE_MISMATCH, cookie.checkFollowUp(ack, address("1.2.3.4", 1195), 1000));
        ControlPacket other = parse("28 aeb9afe1f01d79c9 01 00000000 " + SessionId.toHex(ack.peerSessionId()));
        assertEquals(DropReason.COOKIE_MISMATCH, cookie.checkFollowUp(other, client, 1000));
        assertNotEquals(cookie.serverSessionId(client, CLIENT_SID, 1000),
                new HmacSessionCookie(new byte[32], 30).serverSessionId(client, CLIENT_SID, 1000));
    }

    /** §8.1: client_ack_123_none_random_id must be rejected because it acks id 2. */
    @Test
    void ackingIdTwoIsRefused() {
        assertEquals(DropReason.COOKIE_ACK_OUT_OF_RANGE,
                cookie.checkFollowUp(parse(ReferenceVectors.CLIENT_ACK_123_NONE_RANDOM_ID), client, 1000));
        String sid = SessionId.toHex(cookie.serverSessionId(client, CLIENT_SID, 1000));
        ControlPacket withCookie = parse("28 aeb9afe1f01d79c8 03 00000000 00000001 00000002 " + sid);
        assertEquals(DropReason.COOKIE_ACK_OUT_OF_RANGE, cookie.checkFollowUp(withCookie, client, 1000));
    }

    /** client_control_none_random_id is cut off in test_pkt.c; with its missing bytes it fails on message id 2. */
    @Test
    void messageIdTwoIsRefused() {
        ControlPacket p = new ControlPacket();
        assertEquals(DropReason.TRUNCATED_ACK_BLOCK,
                ControlPacketCodec.parse(Hex.buffer(ReferenceVectors.CLIENT_CONTROL_NONE_RANDOM_ID), p));
        String sid = SessionId.toHex(cookie.serverSessionId(client, CLIENT_SID, 1000));
        assertEquals(DropReason.COOKIE_MESSAGE_ID_OUT_OF_RANGE,
                cookie.checkFollowUp(parse("20 aeb9afe1f01d79c8 01 00000000 " + sid + " 00000002"), client, 1000));
        assertNull(cookie.checkFollowUp(parse("20 aeb9afe1f01d79c8 01 00000000 " + sid + " 00000001 160301"),
                client, 1000));
        assertNull(cookie.checkFollowUp(parse("58 aeb9afe1f01d79c8 01 00000000 " + sid + " 00000001"), client, 1000));
    }

    @Test
    void onlyAckControlAndWkcWithKeyIdZeroAndAnAck() {
        String sid = SessionId.toHex(cookie.serverSessionId(client, CLIENT_SID, 1000));
        assertEquals(DropReason.COOKIE_BAD_OPCODE,
                cookie.checkFollowUp(parse("38 aeb9afe1f01d79c8 01 00000000 " + sid + " 00000000"), client, 1000));
        assertEquals(DropReason.COOKIE_BAD_KEY_ID,
                cookie.checkFollowUp(parse("29 aeb9afe1f01d79c8 01 00000000 " + sid), client, 1000));
        assertEquals(DropReason.COOKIE_MISSING,
                cookie.checkFollowUp(parse("20 aeb9afe1f01d79c8 00 00000001"), client, 1000));
    }

    @Test
    void worksForIpv6() {
        InetSocketAddress v6 = address("2001:db8::1", 1194);
        String sid = SessionId.toHex(cookie.serverSessionId(v6, CLIENT_SID, 1000));
        assertNull(cookie.checkFollowUp(parse("28 aeb9afe1f01d79c8 01 00000000 " + sid), v6, 1000));
        assertEquals(DropReason.COOKIE_MISMATCH,
                cookie.checkFollowUp(parse("28 aeb9afe1f01d79c8 01 00000000 " + sid), client, 1000));
    }

    /** The stateless reply has stock's shape and, wrapped with tls-crypt and a fresh counter, 66 bytes. */
    @Test
    void statelessResetHasStocksLayout() throws Exception {
        ControlPacket reset = new ControlPacket();
        cookie.fillReset(reset, client, CLIENT_SID, 1000);
        assertEquals(Opcode.HARD_RESET_SERVER_V2, reset.opcode());
        ByteBuffer plain = ByteBuffer.allocate(ControlPacketCodec.encodedLength(reset));
        ControlPacketCodec.write(reset, plain);
        String sid = SessionId.toHex(cookie.serverSessionId(client, CLIENT_SID, 1000));
        assertEquals("40" + sid + "01" + "00000000" + "aeb9afe1f01d79c8" + "00000000", Hex.written(plain));

        TlsCryptWrapper wrapper = TlsCryptWrapper.forServer(StaticKeyFile.parse(ReferenceVectors.CAPTURE_TLS_CRYPT_KEY));
        ByteBuffer wire = ByteBuffer.allocate(100);
        wrapper.wrap(plain.flip(), wire, PacketIdCounter.longForm(), 1000);
        assertEquals(66, wire.position());
        assertEquals("00000001", Hex.written(wire).substring(18, 26)); // replay id 1, as stock's
        // answering the same reset again gives the same bytes: the reply is idempotent
        ControlPacket again = new ControlPacket();
        cookie.fillReset(again, client, CLIENT_SID, 1001);
        assertEquals(reset.sessionId(), again.sessionId());
    }
}
