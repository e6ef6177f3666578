package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;

import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * Control-channel packet protection: none, tls-auth or tls-crypt (§2.1, §2.7, §2.8;
 * {@code ssl_pkt.c tls_wrap_control()}, {@code read_control_auth()}).
 *
 * <p>Both directions convert between the wire form and the unwrapped form of {@code ControlPacketCodec}
 * ({@code header | own sid | ack block | [message id] | payload}). Input buffers are read from position
 * to limit and left as they are; the output is written at {@code out}'s position, which advances.
 *
 * <p>The replay state is the TLS session's and is passed in (DESIGN invariant 4): every transmission,
 * retransmissions included, takes a fresh id from the counter (§2.4). A null {@link ReplayWindow} skips
 * the replay check, for the stateless first-packet test of the UDP server (stock sets
 * {@code CO_IGNORE_PACKET_ID} there). Implementations hold JCE objects and are not thread-safe.
 */
public interface ControlChannelWrapper {
    /** Bytes the wire form adds to the unwrapped form. */
    int overhead();

    /**
     * Wraps one unwrapped packet.
     *
     * @return false if the replay counter is exhausted (the session must end), true otherwise
     * @throws java.nio.BufferOverflowException if {@code out} has less than {@code plain + overhead} room
     */
    boolean wrap(ByteBuffer plain, ByteBuffer out, PacketIdCounter replayIds, long nowSeconds);

    /**
     * Verifies and unwraps one received packet. On failure the bytes written to {@code out} are
     * unspecified and its position is restored.
     *
     * @return null on success, else why the packet must be dropped
     */
    DropReason unwrap(ByteBuffer wire, ByteBuffer out, ReplayWindow replay, long nowSeconds);
}
