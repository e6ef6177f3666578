package org.tunnelbus.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.core.internal.buffer.BusAllocator;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;

/**
 * The bus's per-packet cost: a 64-byte packet is allocated from the pool, runs through a chain of six
 * trivial in-place stages (each touches one byte and the mark) and reaches a sink that releases it. Scores
 * are nanoseconds per packet (the batch benchmark divides by 32). With {@code -prof gc}, the
 * {@code gc.alloc.rate.norm} line is bytes allocated per packet: the goal is 0.
 *
 * <p>{@code allocateRelease} is the pool alone (one allocate + one release), for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BusBenchmark {
    private static final int STAGES = 6;
    private static final int BATCH = 32;

    /** Pool size: 16384 is the default configuration; a small pool shows the cost of cold buffers. */
    @Param({"16384"})
    public int poolPackets;

    private Bus bus;
    private BusAllocator allocator;
    private PacketBatch batch;

    /** In place, like a mangler: bumps the first byte and the mark. */
    static final class TouchStage implements Stage {
        @Override
        public Verdict process(Packet p) {
            p.buffer().put(p.offset(), (byte) (p.get(0) + 1));
            p.mark(p.mark() + 1);
            return Verdict.PASS;
        }
    }

    /** The end of the chain: a device or transport would write; this one releases. */
    static final class ReleasingSink implements PacketSink {
        long seen;

        @Override
        public void accept(Packet packet) {
            seen += packet.mark();
            packet.release();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        bus = new Bus(BusSettings.defaults().withPool(poolPackets, 2048, 128).withLeakCheck(false));
        for (int i = 0; i < STAGES; i++) {
            Map<String, Object> props = new HashMap<>();
            props.put(PipelineStage.NAME, "stage-" + i);
            props.put(PipelineStage.BOX, "OTHER");
            props.put(PipelineStage.DIRECTION, "outgoing");
            props.put(PipelineStage.ORDER, 100 * (i + 1));
            bus.addStage(new TouchStage(), props);
        }
        bus.addSink(new ReleasingSink(), Map.of(PacketSink.DIRECTION, "outgoing"));
        allocator = bus.allocator();
        batch = new PacketBatch(BATCH);
        if (bus.chain(Direction.OUTGOING).size() != STAGES) {
            throw new IllegalStateException("chain " + bus.chain(Direction.OUTGOING));
        }
        onePacket();
        if (bus.counter("outgoing.stage-5.packets") != 1 || bus.counter("outgoing.sink.packets") != 1) {
            throw new IllegalStateException("a packet did not pass all six stages: " + bus.counters());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (allocator.outstanding() != 0) {
            throw new IllegalStateException(allocator.outstanding() + " packets leaked");
        }
        bus.close();
    }

    @Benchmark
    public void onePacket() {
        Packet p = allocator.allocate();
        p.setLength(64);
        bus.submit(Direction.OUTGOING, p);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchOf32() {
        PacketBatch b = batch;
        for (int i = 0; i < BATCH; i++) {
            Packet p = allocator.allocate();
            p.setLength(64);
            b.add(p);
        }
        bus.submit(Direction.OUTGOING, b);
    }

    @Benchmark
    public void allocateRelease() {
        Packet p = allocator.allocate();
        p.setLength(64);
        p.release();
    }
}
