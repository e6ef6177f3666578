package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.KeyDirection;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * {@code --tls-auth} (§2.7; {@code ssl_pkt.c tls_wrap_control()}, {@code swap_hmac()},
 * {@code read_control_auth()}): an HMAC firewall, nothing is encrypted.
 *
 * <pre>
 * wire:       header(1) | own sid(8) | HMAC(H) | replay id(4) | replay time(4) | rest
 * HMAC input: replay id | replay time | header | own sid | rest
 * </pre>
 *
 * The HMAC uses the {@code --auth} digest with {@code keys[i].hmac} truncated to its length, the key index
 * chosen by {@link KeyDirection}.
 */
public final class TlsAuthWrapper implements ControlChannelWrapper {
    private static final int REPLAY_ID_LENGTH = 8;
    private static final int HEADER = ControlPacketCodec.HEADER_LENGTH;

    private final Mac sendMac;
    private final Mac receiveMac;
    private final int hmacLength;
    private final byte[] computed;
    private final byte[] received;

    public TlsAuthWrapper(Key2 key, KeyDirection direction, AuthDigest digest) {
        if (digest == AuthDigest.NONE) {
            throw new IllegalArgumentException("tls-auth needs an --auth digest, not none");
        }
        hmacLength = digest.length();
        sendMac = mac(digest, key.hmac(direction.sendIndex(), hmacLength));
        receiveMac = mac(digest, key.hmac(direction.receiveIndex(), hmacLength));
        computed = new byte[hmacLength];
        received = new byte[hmacLength];
    }

    private static Mac mac(AuthDigest digest, byte[] key) {
        try {
            Mac mac = Mac.getInstance(digest.jceMac());
            mac.init(new SecretKeySpec(key, digest.jceMac()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks " + digest.jceMac(), e);
        }
    }

    @Override
    public int overhead() {
        return hmacLength + REPLAY_ID_LENGTH;
    }

    @Override
    public boolean wrap(ByteBuffer plain, ByteBuffer out, PacketIdCounter replayIds, long nowSeconds) {
        long id = replayIds.next(nowSeconds);
        if (id == PacketIdCounter.EXHAUSTED) {
            return false;
        }
        int start = out.position();
        int at = plain.position();
        out.put(plain.slice(at, HEADER));
        int hmacAt = out.position();
        out.position(hmacAt + hmacLength);
        out.putInt((int) id).putInt((int) replayIds.time());
        out.put(plain.slice(at + HEADER, plain.remaining() - HEADER));
        hmac(sendMac, out, start, out.position() - start, computed);
        out.put(hmacAt, computed);
        return true;
    }

    @Override
    public DropReason unwrap(ByteBuffer wire, ByteBuffer out, ReplayWindow replay, long nowSeconds) {
        int at = wire.position();
        int length = wire.remaining();
        if (length < HEADER + hmacLength + REPLAY_ID_LENGTH) {
            return DropReason.TOO_SHORT;
        }
        hmac(receiveMac, wire, at, length, computed);
        wire.get(at + HEADER, received);
        if (!MessageDigest.isEqual(computed, received)) { // constant time
            return DropReason.AUTHENTICATION_FAILED;
        }
        int pidAt = at + HEADER + hmacLength;
        if (replay != null && !replay.accept(Integer.toUnsignedLong(wire.getInt(pidAt)),
                Integer.toUnsignedLong(wire.getInt(pidAt + 4)), nowSeconds)) {
            return DropReason.REPLAY;
        }
        int restAt = pidAt + REPLAY_ID_LENGTH;
        out.put(wire.slice(at, HEADER));
        out.put(wire.slice(restAt, at + length - restAt));
        return null;
    }

    /** HMAC over a wire-form packet at {@code [at, at+length)}, with the replay id moved to the front. */
    private void hmac(Mac mac, ByteBuffer packet, int at, int length, byte[] into) {
        int pidAt = at + HEADER + hmacLength;
        int restAt = pidAt + REPLAY_ID_LENGTH;
        mac.update(packet.slice(pidAt, REPLAY_ID_LENGTH));
        mac.update(packet.slice(at, HEADER));
        mac.update(packet.slice(restAt, at + length - restAt));
        try {
            mac.doFinal(into, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
