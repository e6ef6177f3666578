package org.tunnelbus.transport.udp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet, byte and drop counters of one UDP transport. Updated from the receive thread and from any number
 * of sending threads without locks (one {@link LongAdder} each, which allocates nothing once warm).
 */
final class UdpCounters {
    /** Why a datagram was dropped; {@link #key} names the counter ({@code drop.<key>}). */
    enum Drop {
        /** Received while the packet pool stayed empty past the back-pressure wait: read and discarded. */
        POOL_EMPTY("pool-empty"),
        /** Received datagram larger than a packet buffer, or a packet to send larger than a UDP payload. */
        TOO_BIG("too-big"),
        /** Received datagram with no payload (OpenVPN never sends one). */
        EMPTY("empty"),
        /** The socket refused the packet (no route, unreachable, no destination, closed...). */
        SEND_ERROR("send-error"),
        /** The socket send buffer stayed full through the short send retry. */
        SEND_BUFFER_FULL("send-buffer-full");

        final String key;

        Drop(String key) {
            this.key = key;
        }
    }

    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] drops = new LongAdder[Drop.values().length];

    UdpCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    void received(int bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    void sent(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }

    void drop(Drop reason) {
        drops[reason.ordinal()].increment();
    }

    long packetsIn() {
        return packetsIn.sum();
    }

    long bytesIn() {
        return bytesIn.sum();
    }

    long packetsOut() {
        return packetsOut.sum();
    }

    long bytesOut() {
        return bytesOut.sum();
    }

    long drops(Drop reason) {
        return drops[reason.ordinal()].sum();
    }

    /** {@code packets.in, bytes.in, packets.out, bytes.out, drop.<reason>...}, in that order. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets.in", packetsIn());
        m.put("bytes.in", bytesIn());
        m.put("packets.out", packetsOut());
        m.put("bytes.out", bytesOut());
        for (Drop d : Drop.values()) {
            m.put("drop." + d.key, drops(d));
        }
        return m;
    }
}
