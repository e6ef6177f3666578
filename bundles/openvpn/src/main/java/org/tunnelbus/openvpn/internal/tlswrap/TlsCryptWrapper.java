package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;

import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * {@code --tls-crypt} (§2.8): the packet after the session id is encrypted and authenticated.
 *
 * <pre>
 * header(1) | own sid(8) | replay id(4) | replay time(4) | tag(32) | AES-256-CTR(P)
 * \________________ authenticated, cleartext __________/
 * </pre>
 *
 * Keys per role (§2.8.2; {@code tls_crypt.c tls_crypt_init_key()}, which ignores {@code --key-direction}):
 * the server sends with keys[0] and receives with keys[1]; the client the other way round.
 */
public final class TlsCryptWrapper implements ControlChannelWrapper {
    public static final int REPLAY_ID_LENGTH = 8;
    /** Cleartext authenticated header: opcode, session id and replay id. */
    public static final int AUTHENTICATED_HEADER_LENGTH = ControlPacketCodec.HEADER_LENGTH + REPLAY_ID_LENGTH;
    public static final int OVERHEAD = REPLAY_ID_LENGTH + TlsCryptCipher.TAG_LENGTH;

    private final TlsCryptCipher send;
    private final TlsCryptCipher receive;

    private TlsCryptWrapper(Key2 key, int sendIndex) {
        send = cipher(key, sendIndex);
        receive = cipher(key, 1 - sendIndex);
    }

    private static TlsCryptCipher cipher(Key2 key, int index) {
        return new TlsCryptCipher(key.cipher(index, TlsCryptCipher.KEY_LENGTH),
                key.hmac(index, TlsCryptCipher.KEY_LENGTH));
    }

    /** The TLS server's wrapper: sends with keys[0]. */
    public static TlsCryptWrapper forServer(Key2 key) {
        return new TlsCryptWrapper(key, 0);
    }

    /** The TLS client's wrapper: sends with keys[1]. */
    public static TlsCryptWrapper forClient(Key2 key) {
        return new TlsCryptWrapper(key, 1);
    }

    @Override
    public int overhead() {
        return OVERHEAD;
    }

    @Override
    public boolean wrap(ByteBuffer plain, ByteBuffer out, PacketIdCounter replayIds, long nowSeconds) {
        long id = replayIds.next(nowSeconds);
        if (id == PacketIdCounter.EXHAUSTED) {
            return false;
        }
        int start = out.position();
        int at = plain.position();
        out.put(plain.slice(at, ControlPacketCodec.HEADER_LENGTH));
        out.putInt((int) id).putInt((int) replayIds.time());
        ByteBuffer header = out.slice(start, AUTHENTICATED_HEADER_LENGTH);
        ByteBuffer p = plain.slice(at + ControlPacketCodec.HEADER_LENGTH,
                plain.remaining() - ControlPacketCodec.HEADER_LENGTH);
        send.seal(header, p, out);
        return true;
    }

    @Override
    public DropReason unwrap(ByteBuffer wire, ByteBuffer out, ReplayWindow replay, long nowSeconds) {
        int at = wire.position();
        int length = wire.remaining();
        if (length < AUTHENTICATED_HEADER_LENGTH + TlsCryptCipher.TAG_LENGTH) {
            return DropReason.TOO_SHORT;
        }
        int start = out.position();
        out.put(wire.slice(at, ControlPacketCodec.HEADER_LENGTH));
        int ctAt = at + AUTHENTICATED_HEADER_LENGTH + TlsCryptCipher.TAG_LENGTH;
        boolean authentic = receive.open(wire.slice(at, AUTHENTICATED_HEADER_LENGTH),
                wire.slice(at + AUTHENTICATED_HEADER_LENGTH, TlsCryptCipher.TAG_LENGTH),
                wire.slice(ctAt, length - (ctAt - at)), out);
        if (!authentic) {
            out.position(start);
            return DropReason.AUTHENTICATION_FAILED;
        }
        if (replay != null && !replay.accept(replayId(wire, at), replayTime(wire, at), nowSeconds)) {
            out.position(start);
            return DropReason.REPLAY;
        }
        return null;
    }

    private static long replayId(ByteBuffer wire, int at) {
        return Integer.toUnsignedLong(wire.getInt(at + ControlPacketCodec.HEADER_LENGTH));
    }

    private static long replayTime(ByteBuffer wire, int at) {
        return Integer.toUnsignedLong(wire.getInt(at + ControlPacketCodec.HEADER_LENGTH + 4));
    }
}
