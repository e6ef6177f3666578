package org.tunnelbus.openvpn.internal.tlswrap;

import java.nio.ByteBuffer;

import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/** No control-channel wrapping (neither {@code --tls-auth} nor {@code --tls-crypt}): wire form = unwrapped form. */
public final class PlainWrapper implements ControlChannelWrapper {
    @Override
    public int overhead() {
        return 0;
    }

    @Override
    public boolean wrap(ByteBuffer plain, ByteBuffer out, PacketIdCounter replayIds, long nowSeconds) {
        out.put(plain.duplicate());
        return true;
    }

    @Override
    public DropReason unwrap(ByteBuffer wire, ByteBuffer out, ReplayWindow replay, long nowSeconds) {
        out.put(wire.duplicate());
        return null;
    }
}
