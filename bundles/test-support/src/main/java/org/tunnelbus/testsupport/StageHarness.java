package org.tunnelbus.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;
import org.tunnelbus.core.internal.buffer.LeakReport;

/**
 * An in-memory pipeline on the real bus code (no OSGi), after Netty's {@code EmbeddedChannel}: add stages
 * with their whiteboard properties, push byte arrays in, read what each direction's default sink got.
 *
 * <pre>
 * try (StageHarness h = new StageHarness()) {
 *     h.stage(new MssClamp(), "mss-clamp", Box.MANGLE);
 *     h.submit(Direction.OUTGOING, synPacket);
 *     byte[] out = h.outgoing().takeBytes();
 *     assertEquals(1, h.counter("outgoing.mss-clamp.packets"));
 *     h.assertNoLeaks();
 * }
 * </pre>
 *
 * The leak check is on: {@link #assertNoLeaks()} fails with the allocation site of the oldest packet
 * that was never released (packets still held by the capture sinks count as leaks: take or clear them).
 */
public final class StageHarness implements AutoCloseable {
    private final Bus bus;
    private final CaptureSink outgoing = new CaptureSink("outgoing");
    private final CaptureSink incoming = new CaptureSink("incoming");

    /** A pool of 1024 packets of 2048 bytes with 128 bytes of headroom. */
    public StageHarness() {
        this(1024, 2048, 128);
    }

    public StageHarness(int poolPackets, int bufferSize, int headroom) {
        this(BusSettings.defaults().withPool(poolPackets, bufferSize, headroom).withLeakCheck(true));
    }

    /** With explicit bus settings (hold grace, required stages, ...); the leak check is switched on. */
    public StageHarness(BusSettings settings) {
        bus = new Bus(settings.withLeakCheck(true));
        bus.addSink(outgoing, Map.of(PacketSink.DIRECTION, "outgoing"));
        bus.addSink(incoming, Map.of(PacketSink.DIRECTION, "incoming"));
    }

    /** Adds a stage as a module would register it ({@code @PipelineStage(name, box, direction)}). */
    public StageHarness stage(Stage stage, String name, Box box, Direction... directions) {
        Map<String, Object> props = new HashMap<>();
        props.put(PipelineStage.NAME, name);
        props.put(PipelineStage.BOX, box.name());
        if (directions.length > 0) {
            String[] d = new String[directions.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = directions[i].key();
            }
            props.put(PipelineStage.DIRECTION, d);
        }
        return stage(stage, props);
    }

    /** Adds a stage with raw service properties (order, ranking, ...). */
    public StageHarness stage(Stage stage, Map<String, ?> props) {
        if (bus.addStage(stage, props) < 0) {
            throw new IllegalArgumentException("the bus refused the stage's properties " + props + " (see the log)");
        }
        return this;
    }

    /** Removes a stage, as when its bundle stops (its slot holds, then resolves). */
    public StageHarness remove(Stage stage) {
        bus.removeStage(stage);
        return this;
    }

    /** Default sink of the OUTGOING chain (where packets bound for transports end). */
    public CaptureSink outgoing() {
        return outgoing;
    }

    /** Default sink of the INCOMING chain (where packets bound for the device end). */
    public CaptureSink incoming() {
        return incoming;
    }

    public CaptureSink sink(Direction d) {
        return d == Direction.OUTGOING ? outgoing : incoming;
    }

    /** A pooled packet holding {@code data}; the caller owns it. */
    public Packet packet(byte[] data) {
        return Packets.of(bus.allocator(), data);
    }

    /** Runs each array as one packet, all in one batch, through the chain of {@code direction}. */
    public void submit(Direction direction, byte[]... data) {
        PacketBatch b = new PacketBatch(Math.max(1, data.length));
        for (byte[] d : data) {
            b.add(packet(d));
        }
        bus.submit(direction, b);
    }

    public void submit(Direction direction, Packet packet) {
        bus.submit(direction, packet);
    }

    public void inject(Direction direction, Packet packet, int fromOrder) {
        bus.inject(direction, packet, fromOrder);
    }

    public PacketAllocator allocator() {
        return bus.allocator();
    }

    /** The real bus, for what this class does not wrap (configure, describe, sinks). */
    public Bus bus() {
        return bus;
    }

    public List<StageInfo> chain(Direction direction) {
        return bus.chain(direction);
    }

    public Map<String, Long> counters() {
        return bus.counters();
    }

    /** One counter, e.g. {@code outgoing.crypto.drop.bad-tag}; 0 if it never counted. */
    public long counter(String name) {
        return bus.counter(name);
    }

    public LeakReport leaks() {
        return bus.leaks();
    }

    /** Fails with the count and the first allocation site when any packet is still out. */
    public void assertNoLeaks() {
        LeakReport r = bus.leaks();
        if (r.hasLeaks()) {
            throw new AssertionError(r.describe() + (outgoing.size() + incoming.size() > 0
                    ? "\n(" + outgoing.size() + " outgoing and " + incoming.size()
                    + " incoming packets are still held by the capture sinks)" : ""));
        }
    }

    /** Releases what the sinks hold and stops the bus's timer thread. */
    @Override
    public void close() {
        outgoing.clear();
        incoming.clear();
        bus.close();
    }
}
