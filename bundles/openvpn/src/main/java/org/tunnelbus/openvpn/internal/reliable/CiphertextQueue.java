package org.tunnelbus.openvpn.internal.reliable;

import java.nio.ByteBuffer;

import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * TLS ciphertext waiting for room in a key state's send window: the TLS engine produces it in bursts (a
 * whole server flight at once), the reliable layer takes at most six packets in flight (wire reference
 * §2.2, §2.11). Used by both roles' key states, on their control thread only.
 */
public final class CiphertextQueue {
    private byte[] bytes = new byte[4096];
    private int start;
    private int end;

    public boolean hasPending() {
        return end > start;
    }

    /** Appends everything remaining in {@code data}. */
    public void append(ByteBuffer data) {
        int n = data.remaining();
        if (bytes.length - end < n) {
            int live = end - start;
            byte[] target = live + n > bytes.length ? new byte[Math.max(bytes.length * 2, live + n)] : bytes;
            System.arraycopy(bytes, start, target, 0, live);
            bytes = target;
            start = 0;
            end = live;
        }
        data.get(bytes, end, n);
        end += n;
    }

    /** Moves buffered ciphertext into CONTROL_V1 messages of at most {@code maxChunk} bytes while the window has room. */
    public void drainInto(ReliableChannel channel, int maxChunk) {
        while (hasPending() && channel.canQueue()) {
            int n = Math.min(maxChunk, end - start);
            channel.queue(Opcode.CONTROL_V1, ByteBuffer.wrap(bytes, start, n));
            start += n;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    /** Forgets what is buffered. */
    public void clear() {
        start = 0;
        end = 0;
    }
}
