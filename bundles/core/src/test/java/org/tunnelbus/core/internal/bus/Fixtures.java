package org.tunnelbus.core.internal.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.osgi.framework.Constants;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;

/** Stages, sinks and packets for the bus tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Map<String, Object> props(String name, String box, String... directions) {
        Map<String, Object> m = new HashMap<>();
        m.put(PipelineStage.NAME, name);
        m.put(PipelineStage.BOX, box);
        if (directions.length > 0) {
            m.put(PipelineStage.DIRECTION, directions);
        }
        return m;
    }

    static Map<String, Object> props(String name, String box, int ranking, long serviceId) {
        Map<String, Object> m = props(name, box);
        m.put(Constants.SERVICE_RANKING, ranking);
        m.put(Constants.SERVICE_ID, serviceId);
        return m;
    }

    static Map<String, Object> sinkProps(String direction) {
        Map<String, Object> m = new HashMap<>();
        m.put(PacketSink.DIRECTION, direction);
        return m;
    }

    /** A packet carrying (flow, seq) in its first 8 bytes. */
    static Packet packet(Bus bus, int flow, int seq) {
        Packet p = bus.allocator().allocate();
        if (p == null) {
            return null;
        }
        p.buffer().putInt(p.offset(), flow).putInt(p.offset() + 4, seq);
        p.setLength(8);
        p.flow(flow);
        return p;
    }

    static int flow(Packet p) {
        return p.buffer().getInt(p.offset());
    }

    static int seq(Packet p) {
        return p.buffer().getInt(p.offset() + 4);
    }

    /** A stage that appends its tag to the packet's mark trail (mark = mark * 16 + tag) and passes. */
    static final class TagStage implements Stage {
        final int tag;
        final AtomicInteger calls = new AtomicInteger();

        TagStage(int tag) {
            this.tag = tag;
        }

        @Override
        public Verdict process(Packet packet) {
            calls.incrementAndGet();
            packet.mark(packet.mark() * 16 + tag);
            return Verdict.PASS;
        }

        @Override
        public String toString() {
            return "TagStage" + tag;
        }
    }

    /** A stage whose verdict is computed by a function. */
    static Stage stage(Function<Packet, Verdict> f) {
        return f::apply;
    }

    /** Blocks the first packet it sees (or the first with a given seq) until {@link #open()}; tags with 7. */
    static final class GateStage implements Stage {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        private final AtomicInteger seen = new AtomicInteger();
        private final int blockSeq;

        GateStage() {
            this(-1);
        }

        GateStage(int blockSeq) {
            this.blockSeq = blockSeq;
        }

        @Override
        public Verdict process(Packet packet) {
            packet.mark(packet.mark() * 16 + 7);
            boolean match = blockSeq < 0 || seq(packet) == blockSeq;
            if (match && seen.getAndIncrement() == 0) {
                entered.countDown();
                try {
                    if (!gate.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Verdict.PASS;
        }

        void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("no packet reached the gate");
            }
        }

        void open() {
            gate.countDown();
        }
    }

    /** Records (flow, seq, mark) of what it receives, releases the packet, counts flushes. */
    static final class RecordingSink implements PacketSink {
        record Got(int flow, int seq, int mark) {
        }

        final List<Got> got = new ArrayList<>();
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();

        @Override
        public void accept(Packet packet) {
            synchronized (got) {
                got.add(new Got(flow(packet), seq(packet), packet.mark()));
            }
            accepted.incrementAndGet();
            packet.release();
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        List<Got> got() {
            synchronized (got) {
                return List.copyOf(got);
            }
        }

        List<Integer> seqs() {
            return got().stream().map(Got::seq).toList();
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepted.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("sink got " + accepted.get() + " packets, expected " + n);
                }
                Thread.sleep(1);
            }
        }
    }

    static BusSettings small() {
        return BusSettings.defaults().withPool(4096, 256, 64).withLeakCheck(true);
    }
}
