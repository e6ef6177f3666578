package org.tunnelbus.transport.tcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet, byte, drop and connection counters of one TCP transport. Updated from the I/O thread and from any
 * number of sending threads without locks (one {@link LongAdder} each).
 */
final class TcpCounters {
    /** Why a packet was dropped; {@link #key} names the counter ({@code drop.<key>}). */
    enum Drop {
        /** Received while the packet pool stayed empty past the back-pressure wait: read and discarded. */
        POOL_EMPTY("pool-empty"),
        /** A packet to send longer than the 2-byte length can say (65535). */
        TOO_BIG("too-big"),
        /** The connection refused the packet (reset, closed...). */
        SEND_ERROR("send-error"),
        /** The connection's send buffer stayed full before any byte of the packet was written. */
        SEND_BUFFER_FULL("send-buffer-full"),
        /** No connection to the packet's address (the peer is gone, or never connected). */
        NO_CONNECTION("no-connection");

        final String key;

        Drop(String key) {
            this.key = key;
        }
    }

    /** Why a connection ended; {@link #key} names the counter ({@code closed.<key>}). */
    enum Close {
        /** The peer closed its end (EOF). */
        PEER("peer"),
        /** A length field of 0 or above the packet buffer size: the stream cannot be trusted, as stock decides. */
        BAD_LENGTH("bad-length"),
        /** A read or write failed (connection reset, timeout...). */
        ERROR("error"),
        /** A packet was half written and the peer did not read for too long. */
        SEND_STALLED("send-stalled"),
        /** The layer above asked ({@code Transport.disconnect}). */
        DISCONNECT("disconnect"),
        /** The transport closed. */
        TRANSPORT_CLOSED("transport-closed");

        final String key;

        Close(String key) {
            this.key = key;
        }
    }

    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] drops = adders(Drop.values().length);
    private final LongAdder[] closes = adders(Close.values().length);

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
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

    void connected() {
        accepted.increment();
    }

    void closed(Close reason) {
        closes[reason.ordinal()].increment();
    }

    long drops(Drop reason) {
        return drops[reason.ordinal()].sum();
    }

    long closes(Close reason) {
        return closes[reason.ordinal()].sum();
    }

    long connections() {
        return accepted.sum();
    }

    /**
     * {@code packets.in, bytes.in, packets.out, bytes.out, connections, connections.open, drop.<reason>...,
     * closed.<reason>...}, in that order.
     */
    Map<String, Long> snapshot(int open) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets.in", packetsIn.sum());
        m.put("bytes.in", bytesIn.sum());
        m.put("packets.out", packetsOut.sum());
        m.put("bytes.out", bytesOut.sum());
        m.put("connections", accepted.sum());
        m.put("connections.open", (long) open);
        for (Drop d : Drop.values()) {
            m.put("drop." + d.key, drops(d));
        }
        for (Close c : Close.values()) {
            m.put("closed." + c.key, closes(c));
        }
        return m;
    }
}
