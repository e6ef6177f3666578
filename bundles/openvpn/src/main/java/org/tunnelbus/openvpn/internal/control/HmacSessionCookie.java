package org.tunnelbus.openvpn.internal.control;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.Opcode;
import org.tunnelbus.openvpn.internal.wire.SessionId;

/**
 * The stateless three-way handshake of the 2.6 UDP server (§2.5; {@code ssl_pkt.c
 * calculate_session_id_hmac()}, {@code check_session_hmac_and_pkt_id()}, {@code tls_reset_standalone()};
 * {@code mudp.c do_pre_decrypt_check()}).
 *
 * <p>A client's reset gets an answer but no state: the server's session id is a cookie,
 * {@code first 8 bytes of HMAC-SHA256(K, slot || client address || client port || client session id)}
 * with {@code slot = now / ((hand_window + 1) / 2)}. State is only created for a follow-up packet that
 * echoes a cookie of the current slot or one of the two before it, so a cookie stays valid for 60–90 s at
 * the default hand-window.
 *
 * <p>The HMAC input is ours to choose (stock hashes its C sockaddr, which is not portable): slot as u32,
 * the address bytes (4 or 16), the port as u16, the client's session id. K is random per process.
 * Not thread-safe (one {@link Mac}); the UDP receive thread owns it.
 */
public final class HmacSessionCookie {
    public static final int DEFAULT_HAND_WINDOW_SECONDS = 60;
    public static final int KEY_LENGTH = 32;
    /** Current slot and the two before it ({@code check_session_hmac_and_pkt_id()}: offsets -2..0). */
    private static final int ACCEPTED_PAST_SLOTS = 2;

    private final Mac mac;
    private final int slotSeconds;
    private final byte[] digest = new byte[32];
    private final ByteBuffer input = ByteBuffer.allocate(4 + 16 + 2 + SessionId.LENGTH);

    public HmacSessionCookie(byte[] key, int handWindowSeconds) {
        if (key.length != KEY_LENGTH || handWindowSeconds < 1) {
            throw new IllegalArgumentException("cookie key must be 32 bytes and hand-window positive");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks HmacSHA256", e);
        }
        slotSeconds = (handWindowSeconds + 1) / 2;
    }

    /** A cookie with a fresh random key, as {@code session_id_hmac_init()} makes one per process. */
    public static HmacSessionCookie random(SecureRandom random, int handWindowSeconds) {
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return new HmacSessionCookie(key, handWindowSeconds);
    }

    /** The server session id to answer a reset from {@code client} with, for the current slot. */
    public long serverSessionId(InetSocketAddress client, long clientSessionId, long nowSeconds) {
        return cookie(client, clientSessionId, slot(nowSeconds));
    }

    /**
     * Fills {@code out} with the stateless HARD_RESET_SERVER_V2: key id 0, the cookie as own session id,
     * ACK [0] with the client's session id, message id 0, empty payload (§2.5, §2.6). The caller wraps it
     * with a fresh replay counter, so its replay id is 1 like stock's.
     */
    public void fillReset(ControlPacket out, InetSocketAddress client, long clientSessionId, long nowSeconds) {
        fillReset(out, serverSessionId(client, clientSessionId, nowSeconds), clientSessionId);
    }

    /**
     * Fills {@code out} with a HARD_RESET_SERVER_V2 that answers a client's reset: key id 0, our session id,
     * ACK [0] with the client's session id, message id 0, empty payload. Shared by the cookie (UDP) and the
     * per-connection (TCP) admission, whose only difference is where {@code serverSessionId} comes from.
     */
    public static void fillReset(ControlPacket out, long serverSessionId, long clientSessionId) {
        out.clear().header(Opcode.HARD_RESET_SERVER_V2, 0, serverSessionId)
                .addAck(0).peerSessionId(clientSessionId).messageId(0).noPayload();
    }

    /**
     * Decides whether a (wrapper-verified, parsed) packet from an address without state may create a
     * session: P_ACK_V1, P_CONTROL_V1 or P_CONTROL_WKC_V1 with key id 0, every acked id and the message id
     * at most 1, and at least one ACK echoing a valid cookie.
     *
     * @return null if it may, else why not
     */
    public DropReason checkFollowUp(ControlPacket packet, InetSocketAddress client, long nowSeconds) {
        DropReason bad = checkFollowUpShape(packet);
        if (bad != null) {
            return bad;
        }
        return matchesRecentSlot(packet.peerSessionId(), client, packet.sessionId(), nowSeconds)
                ? null : DropReason.COOKIE_MISMATCH;
    }

    /**
     * The checks of a follow-up that do not depend on how our session id was made: P_ACK_V1, P_CONTROL_V1 or
     * P_CONTROL_WKC_V1 with key id 0, at least one ACK, every acked id and the message id at most 1.
     *
     * @return null if the packet has the shape of a follow-up, else why not
     */
    public static DropReason checkFollowUpShape(ControlPacket packet) {
        Opcode op = packet.opcode();
        if (op != Opcode.ACK_V1 && op != Opcode.CONTROL_V1 && op != Opcode.CONTROL_WKC_V1) {
            return DropReason.COOKIE_BAD_OPCODE;
        }
        if (packet.keyId() != 0) {
            return DropReason.COOKIE_BAD_KEY_ID;
        }
        if (packet.ackCount() == 0) {
            return DropReason.COOKIE_MISSING;
        }
        for (int i = 0; i < packet.ackCount(); i++) {
            if (packet.ack(i) > 1) {
                return DropReason.COOKIE_ACK_OUT_OF_RANGE;
            }
        }
        if (op != Opcode.ACK_V1 && packet.messageId() > 1) {
            return DropReason.COOKIE_MESSAGE_ID_OUT_OF_RANGE;
        }
        return null;
    }

    private boolean matchesRecentSlot(long echoed, InetSocketAddress client, long clientSid, long nowSeconds) {
        long current = slot(nowSeconds);
        boolean match = false;
        for (long s = current - ACCEPTED_PAST_SLOTS; s <= current; s++) {
            // evaluate every slot so the time taken does not depend on which one matches
            match |= constantTimeEquals(echoed, cookie(client, clientSid, s));
        }
        return match;
    }

    private static boolean constantTimeEquals(long a, long b) {
        return MessageDigest.isEqual(SessionId.toBytes(a), SessionId.toBytes(b));
    }

    private long slot(long nowSeconds) {
        return nowSeconds / slotSeconds;
    }

    private long cookie(InetSocketAddress client, long clientSessionId, long slot) {
        byte[] address = client.getAddress().getAddress();
        input.clear();
        input.putInt((int) slot).put(address).putShort((short) client.getPort()).putLong(clientSessionId).flip();
        mac.update(input);
        try {
            mac.doFinal(digest, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return SessionId.fromBytes(digest, 0);
    }
}
