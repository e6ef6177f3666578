package org.tunnelbus.openvpn.internal.channel;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.reliable.ReliableChannel;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * A control session's packets as datagrams, both ways: outgoing, what a key state's reliable channel has due,
 * encoded and wrapped (tls-crypt, tls-auth or plain) with this session's next replay id; incoming, a datagram
 * unwrapped against this session's replay window and parsed. One per control session, server or client (replay ids
 * and window run on across key ids), used on that session's control thread.
 */
public final class ControlDatagrams {
    private final PacketIdCounter replayIds;
    private final ReplayWindow replay = new ReplayWindow();
    private final ControlPacket out = new ControlPacket();
    private final ControlPacket in = new ControlPacket();
    private final ByteBuffer plain = ByteBuffer.allocate(4096);
    private final ByteBuffer wire = ByteBuffer.allocate(4096);
    private final ByteBuffer rx = ByteBuffer.allocate(4096);

    public ControlDatagrams(PacketIdCounter replayIds) {
        this.replayIds = replayIds;
    }

    /**
     * @param socket gets each wire-form packet (its remaining bytes), to send at once
     * @return false if the replay ids are exhausted: the session must end; true once everything due was sent
     */
    public boolean sendDue(ReliableChannel channel, ControlChannelWrapper wrapper, long nowSeconds,
            Consumer<ByteBuffer> socket) {
        while (channel.nextTransmission(out)) {
            plain.clear();
            ControlPacketCodec.write(out, plain);
            plain.flip();
            wire.clear();
            if (!wrapper.wrap(plain, wire, replayIds, nowSeconds)) {
                return false;
            }
            wire.flip();
            socket.accept(wire);
        }
        return true;
    }

    /**
     * Unwraps and parses one received datagram.
     *
     * @return why it is dropped, or null: then {@link #received()} holds the packet (until the next call)
     */
    public DropReason read(ByteBuffer datagram, ControlChannelWrapper wrapper, long nowSeconds) {
        rx.clear();
        DropReason bad = wrapper.unwrap(datagram, rx, replay, nowSeconds);
        if (bad != null) {
            return bad;
        }
        rx.flip();
        return ControlPacketCodec.parse(rx, in);
    }

    public ControlPacket received() {
        return in;
    }
}
