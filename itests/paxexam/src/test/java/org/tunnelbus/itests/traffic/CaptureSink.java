package org.tunnelbus.itests.traffic;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PacketSink;

/**
 * A whiteboard {@link PacketSink}, registered by the tests as the default sink of a direction: it reads the
 * flow, sequence number, stamps and trail of every test packet into its flow's {@link FlowLog} and releases
 * the packet. Packets of unknown flows or too short are counted as {@link #malformed()}.
 */
public final class CaptureSink implements PacketSink {
    public static final int MAX_FLOWS = 64;

    private final FlowLog[] flows = new FlowLog[MAX_FLOWS];
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder flushes = new LongAdder();

    public CaptureSink() {
        for (int i = 0; i < MAX_FLOWS; i++) {
            flows[i] = new FlowLog(i);
        }
    }

    @Override
    public void accept(Packet packet) {
        try {
            if (packet.length() < Payload.LENGTH) {
                malformed.increment();
                return;
            }
            ByteBuffer b = packet.data();
            int off = packet.offset();
            int flow = b.getInt(off + Payload.FLOW_AT);
            if (flow < 0 || flow >= MAX_FLOWS) {
                malformed.increment();
                return;
            }
            long seq = b.getLong(off + Payload.SEQ_AT);
            int n = b.get(off + Payload.TRAIL_LENGTH_AT);
            long trail = 0;
            for (int i = 0; i < n && i < 8 && Payload.TRAIL_AT + i < Payload.LENGTH; i++) {
                trail |= (b.get(off + Payload.TRAIL_AT + i) & 0xffL) << (8 * i);
            }
            flows[flow].record(seq, b.get(off + Payload.SWAP_AT), b.get(off + Payload.UPGRADE_AT),
                    b.get(off + Payload.GUARD_AT), trail);
            received.increment();
        } finally {
            packet.release();
        }
    }

    @Override
    public void flush() {
        flushes.increment();
    }

    public FlowLog flow(int id) {
        return flows[id];
    }

    /** Packets accepted (including duplicates), excluding malformed ones. */
    public long received() {
        return received.sum();
    }

    public long malformed() {
        return malformed.sum();
    }
}
