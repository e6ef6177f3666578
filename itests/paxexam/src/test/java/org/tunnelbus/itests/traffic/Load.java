package org.tunnelbus.itests.traffic;

import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;

/**
 * Producers of one direction, each with its own flows (flow ids {@code firstFlow ..}), feeding one
 * {@link CaptureSink}; and, once stopped, the accounting of every flow: pushed, arrived, lost, duplicated, out
 * of order.
 */
public final class Load {
    private final Direction direction;
    private final CaptureSink sink;
    private final List<Producer> producers = new ArrayList<>();

    private Load(Direction direction, CaptureSink sink) {
        this.direction = direction;
        this.sink = sink;
    }

    /**
     * @param maxPerProducer bound of packets per producer
     * @param rate           packets per second per producer, 0 for unpaced
     * @param timeoutMillis  bound of each producer's run time
     */
    public static Load start(PacketBus bus, CaptureSink sink, Direction direction, int producerCount,
                             int flowsPerProducer, int firstFlow, long maxPerProducer, long rate, long timeoutMillis) {
        if (firstFlow + producerCount * flowsPerProducer > CaptureSink.MAX_FLOWS) {
            throw new IllegalArgumentException("too many flows");
        }
        Load l = new Load(direction, sink);
        int flow = firstFlow;
        for (int i = 0; i < producerCount; i++) {
            int[] flows = new int[flowsPerProducer];
            for (int k = 0; k < flowsPerProducer; k++) {
                flows[k] = flow++;
            }
            l.producers.add(Producer.start(bus, direction, flows, maxPerProducer, rate, timeoutMillis));
        }
        return l;
    }

    public Direction direction() {
        return direction;
    }

    public CaptureSink sink() {
        return sink;
    }

    /** Packets handed to the bus so far. */
    public long sent() {
        long n = 0;
        for (Producer p : producers) {
            n += p.sent();
        }
        return n;
    }

    /** Stops the producers and waits for them (bounded); fails if one is stuck or failed. */
    public void stop(long timeoutMillis) throws InterruptedException {
        for (Producer p : producers) {
            p.stop();
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Producer p : producers) {
            if (!p.join(Math.max(1, deadline - System.currentTimeMillis()))) {
                throw new AssertionError("producer of " + direction.key() + " flows " + java.util.Arrays.toString(p.flows())
                        + " did not stop within " + timeoutMillis + " ms (stuck in the bus?)");
            }
            if (p.failure() != null) {
                throw new AssertionError("producer of " + direction.key() + " failed: " + p.failure(), p.failure());
            }
        }
    }

    /** For cleanups: stops the producers, waiting at most {@code timeoutMillis}, never throws. */
    public void stopQuietly(long timeoutMillis) {
        try {
            stop(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError e) {
            // reported by the test itself
        }
    }

    /** Fails (with the cause) if a producer thread died, e.g. of an exception thrown out of the bus. */
    public void throwIfFailed() {
        for (Producer p : producers) {
            Throwable t = p.failure();
            if (t != null) {
                throw new AssertionError("the " + direction.key() + " producer of flows "
                        + java.util.Arrays.toString(p.flows()) + " died after " + p.sent() + " packets: " + t, t);
            }
        }
    }

    /** True if any producer ended by its deadline rather than by stop() or its count. */
    public boolean timedOut() {
        for (Producer p : producers) {
            if (p.timedOut()) {
                return true;
            }
        }
        return false;
    }

    /** Accounting per flow and in total; only after {@link #stop}. */
    public Report report() {
        List<Report.Flow> flows = new ArrayList<>();
        long emptyPool = 0;
        for (Producer p : producers) {
            int[] ids = p.flows();
            for (int i = 0; i < ids.length; i++) {
                long pushed = p.pushed(i);
                FlowLog log = sink.flow(ids[i]);
                flows.add(new Report.Flow(ids[i], pushed, log.distinct(), log.missing(pushed), log.duplicates(),
                        log.outOfOrder(), log.gaps(pushed), log));
            }
            emptyPool += p.emptyPool();
        }
        return new Report(direction, flows, emptyPool, sink.malformed());
    }

    /** The accounting of a stopped load. */
    public record Report(Direction direction, List<Flow> flows, long emptyPool, long malformed) {
        /** One flow: its sequence numbers 0 .. pushed-1. */
        public record Flow(int id, long pushed, long arrived, long lost, long duplicated, long outOfOrder, int gaps,
                           FlowLog log) {
        }

        public long pushed() {
            return flows.stream().mapToLong(Flow::pushed).sum();
        }

        public long arrived() {
            return flows.stream().mapToLong(Flow::arrived).sum();
        }

        public long lost() {
            return flows.stream().mapToLong(Flow::lost).sum();
        }

        public long duplicated() {
            return flows.stream().mapToLong(Flow::duplicated).sum();
        }

        public long outOfOrder() {
            return flows.stream().mapToLong(Flow::outOfOrder).sum();
        }

        @Override
        public String toString() {
            return direction.key() + ": " + flows.size() + " flows, pushed " + pushed() + ", arrived " + arrived()
                    + ", lost " + lost() + ", duplicated " + duplicated() + ", out of order " + outOfOrder()
                    + ", malformed " + malformed + ", pool empty " + emptyPool + " times";
        }
    }
}
