package org.tunnelbus.core.internal.bus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.core.internal.buffer.BusAllocator;
import org.tunnelbus.core.internal.buffer.LeakReport;
import org.tunnelbus.core.internal.buffer.PacketPool;

/**
 * The packet bus: runs each packet through the chain of its direction and hands it to a sink. Plain
 * Java; {@link BusComponent} adapts it to DS, and test-support and the benchmarks drive it directly.
 *
 * <h2>Flow</h2>
 * <pre>
 *  producer thread (device reader, transport receiver, control channel, a stage that injects)
 *    │ submit(direction, batch)         inject(direction, packet, fromOrder)
 *    ▼                                          │
 *  chain = outgoing|incoming  ◀── one volatile read per batch; the batch finishes on it
 *    │ chain.pending? ──yes──▶ drain held packets first (swap only; see "Hot swap")
 *    ▼                                          ▼
 *  ┌───────────┐ PASS ┌───────────┐ PASS      ┌───────────┐ PASS
 *  │ slot 0    │─────▶│ slot 1    │─────▶ … ─▶│ slot n-1  │─────▶ packet.sink() or the default sink
 *  │ stage     │      │ HOLD      │           │ MISSING   │        accept(packet); flush() each sink
 *  └───────────┘      └───────────┘           └───────────┘        touched, once, at the end of the batch
 *    │ CONSUMED: the stage owns it now          │ no sink at all: drop "no-sink"
 *    │ DROP(reason) / throws: count reason      │
 *    ▼   ("stage-error"), release               ▼
 *  HOLD: queue the packet until a provider    MISSING (required slot, grace over): drop "no-provider"
 *        returns (or the grace period ends)
 * </pre>
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>Data path</b> (any number of producer threads at once): reads the chain snapshot once,
 *   calls stages and sinks on the calling thread, never blocks, takes no lock, looks up no service and
 *   allocates nothing in steady state. Per-slot packet and byte counters are per-thread stripes
 *   ({@link Worker}); drop counters are {@link java.util.concurrent.atomic.LongAdder}s. Packets of one
 *   producer thread keep their order, because nothing hands them to another thread (except a hold, whose
 *   drain is ordered, below).</li>
 *   <li><b>Control</b> (SCR / Config Admin threads, the hold timer): {@link #addStage}, {@link #removeStage},
 *   {@link #addSink}, {@link #configure} and grace expiry rebuild both chains under {@code lock} and
 *   publish each with one volatile write. Rebuilding never waits for the data path.</li>
 *   <li><b>Scheduler</b>: one daemon thread owned by the bus runs the hold timers and kicks drains so that
 *   held packets move even when no new packet arrives. {@link #close()} stops it.</li>
 * </ul>
 *
 * <h2>Hot swap (DESIGN invariant 5)</h2>
 * When a slot loses its last provider, the next chain has a <b>hold</b> there ({@link Hold}): packets that
 * reach it are queued in arrival order. When a provider returns within {@code hold.grace.ms}, the new
 * chain lists the hold in {@link Chain#drains} and is {@link Chain#pending}; held packets then run from
 * that slot, through the chain that resolved the hold, <b>before</b> new packets pass, so nothing is
 * lost, duplicated or reordered within a producer's flow:
 * <ol>
 *   <li>At chain entry a producer that sees {@code pending} takes {@code drainLock} and drains (one
 *   drainer at a time; the others wait on the lock, which exists only during a swap), then runs on the
 *   chain that is current afterwards. The scheduler also drains right after each publish. Each chain's
 *   holds drain through that chain (never the current one: a newer chain might park part of a flow in a
 *   newer hold while the rest passes), oldest chain first. {@code pending} is cleared only on a chain
 *   that is still current when its drains are empty; a stale chain stays pending forever, so its late
 *   readers go through the lock to the current chain.</li>
 *   <li>A thread still on the old chain that queues into the hold after the new chain was published
 *   re-checks the current snapshot and, if it changed, drains too (race (a)).</li>
 *   <li>{@link Hold#pollOrSeal()} seals an emptied hold in the same step, so a late offer is refused and
 *   its thread runs that packet itself, under {@code drainLock}, from the slot on the current chain
 *   (race (b): it cannot overtake a drain in progress).</li>
 * </ol>
 * If the grace period ends without a provider, a slot named in {@code required.stages} becomes MISSING
 * (drop {@code no-provider}; held packets are drained into it and counted) with one WARN line; any other
 * slot is removed and its held packets continue past it. A provider that comes back to a MISSING slot
 * heals it with one INFO line. A hold is bounded by {@code hold.max.packets} (drop {@code hold-overflow}).
 */
public final class Bus implements PacketBus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    /** Private service property that the DS adapter sets to "symbolic-name version" of the stage's bundle. */
    public static final String BUNDLE_PROPERTY = ".tunnelbus.bundle";

    static final String SINK_COUNTER = "sink";
    static final String STAGE_ERROR = "stage-error";
    static final String NO_PROVIDER = "no-provider";
    static final String HOLD_OVERFLOW = "hold-overflow";
    static final String NO_SINK = "no-sink";
    static final String SINK_ERROR = "sink-error";
    static final String BUS_CLOSED = "bus-closed";

    private static final AtomicLong BUS_IDS = new AtomicLong();

    // ---- data path state (read without locks) ----
    private volatile Chain outgoing;
    private volatile Chain incoming;
    private final StripedCounters striped = new StripedCounters();
    private final BusAllocator allocator;

    // ---- swap-time state ----
    /** One drainer at a time, both directions (a drained packet may re-enter the other chain). */
    private final ReentrantLock drainLock = new ReentrantLock();
    /** Guarded by drainLock: which directions this holder of the lock is draining. */
    private final boolean[] draining = new boolean[2];

    // ---- control state, guarded by lock ----
    private final Object lock = new Object();
    private final Map<Stage, StageProvider> stages = new IdentityHashMap<>();
    private final Map<PacketSink, SinkProvider> sinks = new IdentityHashMap<>();
    private final Map<SlotKey, SlotState> slots = new HashMap<>();
    private final Map<SlotKey, Placement> lastPlacement = new HashMap<>();
    @SuppressWarnings("unchecked")
    private final List<Hold>[] resolved = new List[] {new ArrayList<Hold>(), new ArrayList<Hold>()};
    private final Map<String, SlotCounters> counters = new ConcurrentHashMap<>();
    /** Counters kept elsewhere (devices) shown by {@link #counters()} under a prefix. */
    private final Map<String, java.util.function.Supplier<Map<String, Long>>> counterSources = new ConcurrentHashMap<>();
    private final SlotCounters[] sinkCounters = new SlotCounters[2];
    private final ScheduledExecutorService scheduler;
    private BusSettings settings;
    private long version;
    private long syntheticIds = 1;
    private boolean poolDirty;
    private boolean closed;

    private record SlotKey(Direction direction, String name) {
    }

    private record Placement(Box box, int order) {
    }

    /** What the bus remembers of a slot between rebuilds. */
    private static final class SlotState {
        /** The serving provider (ACTIVE), or the one that left (HOLD); null when MISSING. */
        final StageProvider provider;
        final Hold hold;
        ScheduledFuture<?> timer;

        SlotState(StageProvider provider, Hold hold) {
            this.provider = provider;
            this.hold = hold;
        }

        boolean active() {
            return provider != null && hold == null;
        }

        boolean missing() {
            return provider == null && hold == null;
        }
    }

    /**
     * A slot as the operator sees it (Gogo {@code tunnelbus:chain}).
     *
     * @param state ACTIVE, HOLD or MISSING
     * @param held  packets waiting in the slot's hold
     */
    public record SlotView(String name, Box box, int order, String state, long serviceId, String bundle, int ranking,
                           int held) {
    }

    public Bus() {
        this(BusSettings.defaults());
    }

    public Bus(BusSettings settings) {
        this.settings = settings;
        long id = BUS_IDS.incrementAndGet();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tunnelbus-bus-" + id);
            t.setDaemon(true);
            return t;
        });
        this.allocator = new BusAllocator(new PacketPool(settings.poolPackets(), settings.poolBufferSize(),
                settings.poolHeadroom(), 0, settings.leakCheck()));
        for (Direction d : Direction.values()) {
            sinkCounters[d.ordinal()] = counters(d, SINK_COUNTER);
        }
        synchronized (lock) {
            rebuild();
        }
    }

    // =====================================================================================================
    // Data path
    // =====================================================================================================

    @Override
    public void submit(Direction direction, PacketBatch batch) {
        Worker w = striped.worker();
        w.depth++;
        try {
            Chain c = current(direction);
            if (c.pending) {
                c = drain(direction, w);
            }
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                Packet p = batch.get(i);
                if (p != null) {
                    run(c, 0, p, w);
                }
            }
        } finally {
            batch.clear();
            exit(w);
        }
    }

    @Override
    public void submit(Direction direction, Packet packet) {
        Worker w = striped.worker();
        w.depth++;
        try {
            Chain c = current(direction);
            if (c.pending) {
                c = drain(direction, w);
            }
            run(c, 0, packet, w);
        } finally {
            exit(w);
        }
    }

    @Override
    public void inject(Direction direction, Packet packet, int fromOrder) {
        Worker w = striped.worker();
        w.depth++;
        try {
            Chain c = current(direction);
            if (c.pending) {
                c = drain(direction, w);
            }
            run(c, c.indexOf(fromOrder), packet, w);
        } finally {
            exit(w);
        }
    }

    private Chain current(Direction d) {
        return d == Direction.OUTGOING ? outgoing : incoming;
    }

    /** Runs one packet from slot {@code from} to the sink. Never throws (except a fatal VM error). */
    private void run(Chain c, int from, Packet p, Worker w) {
        Slot[] slots = c.slots;
        long[] cnt = w.counts(c.span);
        for (int i = from; i < slots.length; i++) {
            Slot s = slots[i];
            Stage stage = s.stage;
            if (stage == null) {
                if (s.hold != null) {
                    hold(c, s, p, w);
                } else {
                    s.counters.drop(NO_PROVIDER);
                    release(p);
                }
                return;
            }
            int ci = s.counters.index;
            Worker.add(cnt, ci, 1);
            Worker.add(cnt, ci + 1, p.length());
            Verdict v;
            try {
                v = stage.process(p);
            } catch (Throwable t) {
                stageError(c, s, p, t);
                return;
            }
            if (v == Verdict.PASS) {
                // A nested call (a stage that injected) may have grown this thread's counters.
                cnt = w.values;
                continue;
            }
            if (v == Verdict.CONSUMED) {
                return;
            }
            if (v == null) {
                stageError(c, s, p, new NullPointerException("stage returned no verdict"));
                return;
            }
            s.counters.drop(v.reason());
            release(p);
            return;
        }
        deliver(c, p, w);
    }

    private void deliver(Chain c, Packet p, Worker w) {
        PacketSink sink = p.sink();
        if (sink == null) {
            sink = c.defaultSink;
        }
        SlotCounters sc = c.sinkCounters;
        if (sink == null) {
            sc.drop(NO_SINK);
            release(p);
            return;
        }
        long[] cnt = w.counts(c.span);
        Worker.add(cnt, sc.index, 1);
        Worker.add(cnt, sc.index + 1, p.length());
        try {
            sink.accept(p);
        } catch (Throwable t) {
            sc.drop(SINK_ERROR);
            release(p);
            logError(sc, c.direction, "sink " + sink, t);
            rethrowFatal(t);
        }
        touch(w, sink);
    }

    private static void touch(Worker w, PacketSink sink) {
        PacketSink[] t = w.touched;
        int n = w.touchedCount;
        for (int i = n - 1; i >= 0; i--) {
            if (t[i] == sink) {
                return;
            }
        }
        if (n == t.length) {
            t = w.touched = java.util.Arrays.copyOf(t, n * 2);
        }
        t[n] = sink;
        w.touchedCount = n + 1;
    }

    /** Leaves a bus call; the outermost call flushes every sink the thread touched. */
    private void exit(Worker w) {
        if (w.depth > 1) {
            w.depth--;
            return;
        }
        // Still at depth 1 while flushing: a sink whose flush re-enters the bus only adds to the list,
        // which this loop pops until empty.
        try {
            while (w.touchedCount > 0) {
                int i = --w.touchedCount;
                PacketSink s = w.touched[i];
                w.touched[i] = null;
                try {
                    s.flush();
                } catch (Throwable t) {
                    if (sinkCounters[0].mayLog() >= 0) {
                        LOG.warn("sink {} threw {} on flush; what it gathered is its own to release", s,
                                t.getClass().getSimpleName(), t);
                    }
                    rethrowFatal(t);
                }
            }
        } finally {
            w.depth = 0;
        }
    }

    private void stageError(Chain c, Slot s, Packet p, Throwable t) {
        s.counters.drop(STAGE_ERROR);
        release(p);
        logError(s.counters, c.direction, "stage '" + s.name + "' (" + s.provider + ")", t);
        rethrowFatal(t);
    }

    private static void logError(SlotCounters sc, Direction d, String who, Throwable t) {
        long suppressed = sc.mayLog();
        if (suppressed >= 0) {
            LOG.warn("{} threw {} on a {} packet; the packet was dropped and counted as {}.drop.{}{}", who,
                    t.getClass().getSimpleName(), d == null ? "" : d.key(), sc.prefix,
                    sc.prefix.endsWith("." + SINK_COUNTER) ? SINK_ERROR : STAGE_ERROR,
                    suppressed > 0 ? " (" + suppressed + " more since the last report)" : "", t);
        }
    }

    private static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    private static void release(Packet p) {
        if (!p.isFree()) {
            p.release();
        }
    }

    // =====================================================================================================
    // Holds and drains (only while a slot is being swapped)
    // =====================================================================================================

    private void hold(Chain c, Slot s, Packet p, Worker w) {
        Hold h = s.hold;
        switch (h.offer(p)) {
            case Hold.HELD -> {
                s.counters.held.increment();
                // Race (a): the chain may have been replaced after we read it; if so the hold may already be
                // draining. Help, so the packet does not wait for the next producer or the scheduler.
                Chain now = current(c.direction);
                if (now != c && now.pending) {
                    drain(c.direction, w);
                }
            }
            case Hold.FULL -> {
                s.counters.drop(HOLD_OVERFLOW);
                release(p);
            }
            default -> {
                // Race (b): the hold was drained and sealed; run the packet on the current chain, after any
                // drain in progress, from where the hold was.
                drainLock.lock();
                try {
                    Chain now = drainLocked(c.direction, w);
                    run(now, now.resume(h), p, w);
                } finally {
                    drainLock.unlock();
                }
            }
        }
    }

    /** Drains every pending hold of {@code d} and returns the current chain. */
    private Chain drain(Direction d, Worker w) {
        drainLock.lock();
        try {
            return drainLocked(d, w);
        } finally {
            drainLock.unlock();
        }
    }

    private Chain drainLocked(Direction d, Worker w) {
        int di = d.ordinal();
        Chain c = current(d);
        if (draining[di]) {
            return c; // this thread is draining d further up its stack (a drained packet re-entered)
        }
        draining[di] = true;
        try {
            while (c.pending) {
                for (Hold h : c.drains) {
                    Packet p;
                    while ((p = h.pollOrSeal()) != null) {
                        // Through the chain that resolved the hold, not the current one: running on a newer
                        // chain could park part of a flow in a newer hold while the rest passes.
                        run(c, c.resume(h), p, w);
                    }
                }
                // Clear the flag only on the chain that is still current. A thread that read an older chain
                // must not take "not pending" as "nothing held before me": newer chains may hold packets
                // older than its own. So older chains stay pending and send their late readers here, which
                // hands them the current chain.
                Chain latest = current(d);
                if (latest == c) {
                    c.pending = false;
                    break;
                }
                c = latest;
            }
            return c;
        } finally {
            draining[di] = false;
        }
    }

    /** Scheduler task: drain both directions (held packets move without waiting for new traffic). */
    private void drainAll() {
        Worker w = striped.worker();
        w.depth++;
        try {
            for (Direction d : Direction.values()) {
                if (current(d).pending) {
                    drain(d, w);
                }
            }
        } catch (Throwable t) {
            LOG.error("draining held packets failed", t);
        } finally {
            exit(w);
        }
    }

    private void expire(SlotKey key, Hold h) {
        synchronized (lock) {
            SlotState st = slots.get(key);
            if (closed || st == null || st.hold != h) {
                return; // resolved meanwhile
            }
            resolveExpired(key, st, h);
            rebuild();
        }
    }

    /** Grace over: required → MISSING, optional → removed; the hold drains into the outcome. */
    private void resolveExpired(SlotKey key, SlotState st, Hold h) {
        Direction d = key.direction;
        int held = h == null ? 0 : h.size();
        long waited = h == null ? 0 : h.ageMillis();
        if (settings.required(d, key.name)) {
            slots.put(key, new SlotState(null, null));
            LOG.warn("Required stage '{}' ({}) has had no provider for {} ms (last: {}): packets that need it are "
                            + "dropped and counted as {}.{}.drop.{} until a provider returns{}", key.name, d.key(), waited,
                    st.provider, d.key(), key.name, NO_PROVIDER, held > 0 ? "; " + held + " held packets dropped" : "");
        } else {
            slots.remove(key);
            LOG.info("Optional stage '{}' ({}) has had no provider for {} ms (last: {}): removed from the chain{}",
                    key.name, d.key(), waited, st.provider,
                    held > 0 ? "; " + held + " held packets continue past it" : "");
        }
        if (h != null) {
            resolved[d.ordinal()].add(h);
        }
    }

    // =====================================================================================================
    // Control: registrations, configuration, chain assembly
    // =====================================================================================================

    /**
     * Adds a stage, or updates its properties if this stage object is already registered.
     *
     * @param props its whiteboard properties ({@link org.tunnelbus.api.pipeline.PipelineStage}), with
     *              {@code service.id} / {@code service.ranking} when it is a service
     * @return the service id the bus uses for it, or -1 when the properties are refused (logged)
     */
    public long addStage(Stage stage, Map<String, ?> props) {
        synchronized (lock) {
            StageProvider old = stages.get(stage);
            StageProvider sp;
            try {
                sp = StageProvider.of(stage, props, old != null ? old.serviceId : syntheticIds++);
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignored stage {} ({}): bad property {}", stage, props.get(BUNDLE_PROPERTY), e.getMessage());
                if (old != null) {
                    stages.remove(stage);
                    rebuild();
                }
                return -1;
            }
            stages.put(stage, sp);
            rebuild();
            return sp.serviceId;
        }
    }

    /** Removes a stage (its slot holds, then resolves, if it was the last provider). */
    public boolean removeStage(Stage stage) {
        synchronized (lock) {
            if (stages.remove(stage) == null) {
                return false;
            }
            rebuild();
            return true;
        }
    }

    /** Adds or updates a sink; {@value PacketSink#DIRECTION} says which direction's default it may be. */
    public long addSink(PacketSink sink, Map<String, ?> props) {
        synchronized (lock) {
            SinkProvider old = sinks.get(sink);
            SinkProvider sp;
            try {
                sp = SinkProvider.of(sink, props, old != null ? old.serviceId : syntheticIds++);
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignored sink {}: {}", sink, e.getMessage());
                return -1;
            }
            sinks.put(sink, sp);
            rebuild();
            return sp.serviceId;
        }
    }

    public boolean removeSink(PacketSink sink) {
        synchronized (lock) {
            if (sinks.remove(sink) == null) {
                return false;
            }
            rebuild();
            return true;
        }
    }

    /** Applies validated settings live: the chains are rebuilt; a pool change replaces the pool. */
    public void configure(BusSettings next) {
        synchronized (lock) {
            BusSettings prev = settings;
            settings = next;
            allocator.current().leakCheck(next.leakCheck());
            poolDirty |= next.poolPackets() != prev.poolPackets() || next.poolBufferSize() != prev.poolBufferSize()
                    || next.poolHeadroom() != prev.poolHeadroom();
            // Slots in grace keep their timers; the new grace applies to the next hold.
            rebuild();
        }
    }

    public BusSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** Rebuilds both chains from the registrations and publishes them. Caller holds {@code lock}. */
    private void rebuild() {
        if (closed) {
            return;
        }
        version++;
        List<Slot> out = slotsOf(Direction.OUTGOING);
        List<Slot> in = slotsOf(Direction.INCOMING);
        ensurePool(out, in);
        int span = striped.span();
        Chain o = chainOf(Direction.OUTGOING, out, outgoing, span);
        Chain i = chainOf(Direction.INCOMING, in, incoming, span);
        outgoing = o;
        incoming = i;
        if (o.pending || i.pending) {
            try {
                scheduler.execute(this::drainAll);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private Chain chainOf(Direction d, List<Slot> list, Chain old, int span) {
        List<Hold> drains = new ArrayList<>();
        if (old != null && old.pending) {
            for (Hold h : old.drains) {
                if (!h.isSealed()) {
                    drains.add(h);
                }
            }
        }
        List<Hold> res = resolved[d.ordinal()];
        for (Hold h : res) {
            if (!drains.contains(h)) {
                drains.add(h);
            }
        }
        res.clear();
        SinkProvider best = null;
        for (SinkProvider sp : sinks.values()) {
            if (sp.directions.contains(d) && (best == null || sp.beats(best))) {
                best = sp;
            }
        }
        return new Chain(d, version, list.toArray(new Slot[0]), best == null ? null : best.sink,
                sinkCounters[d.ordinal()], span, drains.toArray(new Hold[0]));
    }

    /** The slots of one direction, updating the slot states (holds, timers, restorations). */
    private List<Slot> slotsOf(Direction d) {
        Map<String, StageProvider> best = new HashMap<>();
        for (StageProvider sp : stages.values()) {
            if (sp.directions.contains(d) && settings.matches(sp.props)) {
                best.merge(sp.name, sp, (a, b) -> b.beats(a) ? b : a);
            }
        }
        Set<String> names = new TreeSet<>(best.keySet());
        for (SlotKey k : slots.keySet()) {
            if (k.direction == d) {
                names.add(k.name);
            }
        }
        names.addAll(settings.required(d));

        List<Slot> list = new ArrayList<>();
        for (String name : names) {
            SlotKey key = new SlotKey(d, name);
            SlotState st = slots.get(key);
            StageProvider sp = best.get(name);
            SlotCounters sc = counters(d, name);
            if (sp != null) {
                int order = sp.order(d);
                if (st != null && st.hold != null) {
                    cancel(st);
                    resolved[d.ordinal()].add(st.hold);
                    LOG.info("Stage '{}' ({}) is served again after {} ms by {}; {} held packets drain through it first",
                            name, d.key(), st.hold.ageMillis(), sp, st.hold.size());
                } else if (st != null && st.missing()) {
                    LOG.info("Stage '{}' ({}) restored by {}: packets that need it pass again", name, d.key(), sp);
                } else if (st != null && st.provider != sp) {
                    LOG.info("Stage '{}' ({}) now served by {} (was {})", name, d.key(), sp, st.provider);
                }
                slots.put(key, new SlotState(sp, null));
                lastPlacement.put(key, new Placement(sp.box, order));
                list.add(Slot.stage(name, order, sp, sc));
                continue;
            }
            Placement at = lastPlacement.getOrDefault(key, new Placement(Box.OTHER, Integer.MAX_VALUE));
            if (st == null) {
                if (settings.required(d, name)) {
                    slots.put(key, new SlotState(null, null));
                    LOG.info("Required stage '{}' ({}) has no provider yet: packets that reach it are dropped as {} "
                            + "until one registers", name, d.key(), NO_PROVIDER);
                    list.add(Slot.missing(name, at.box, at.order, sc));
                }
            } else if (st.active()) {
                // The slot lost its last provider.
                long grace = settings.holdGraceMs();
                if (grace > 0) {
                    Hold h = new Hold(d, name, at.order, settings.holdMaxPackets());
                    SlotState held = new SlotState(st.provider, h);
                    try {
                        held.timer = scheduler.schedule(() -> expire(key, h), grace, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        // closing: the hold is released by close()
                    }
                    slots.put(key, held);
                    LOG.info("Stage '{}' ({}) lost its provider {}: holding its packets for up to {} ms", name,
                            d.key(), st.provider, grace);
                    list.add(Slot.hold(name, at.box, at.order, h, st.provider, sc));
                } else {
                    resolveExpired(key, st, null);
                    if (settings.required(d, name)) {
                        list.add(Slot.missing(name, at.box, at.order, sc));
                    }
                }
            } else if (st.hold != null) {
                list.add(Slot.hold(name, at.box, at.order, st.hold, st.provider, sc));
            } else if (settings.required(d, name)) {
                list.add(Slot.missing(name, at.box, at.order, sc));
            } else {
                slots.remove(key); // MISSING but no longer required
            }
        }
        list.sort((a, b) -> a.compareTo(b.order, b.name));
        return list;
    }

    private static void cancel(SlotState st) {
        if (st.timer != null) {
            st.timer.cancel(false);
        }
    }

    /** Replaces the pool when the stages now declare more headroom or tailroom than its packets have. */
    private void ensurePool(List<Slot> out, List<Slot> in) {
        int head = settings.poolHeadroom();
        int tail = 0;
        for (List<Slot> list : List.of(out, in)) {
            int h = 0;
            int t = 0;
            for (Slot s : list) {
                if (s.stage != null) {
                    try {
                        h += Math.max(0, s.stage.headroom());
                        t += Math.max(0, s.stage.tailroom());
                    } catch (RuntimeException e) {
                        LOG.warn("stage '{}' ({}) failed to declare its headroom/tailroom", s.name, s.provider, e);
                    }
                }
            }
            head = Math.max(head, h);
            tail = Math.max(tail, t);
        }
        PacketPool pool = allocator.current();
        if (poolDirty) {
            poolDirty = false;
            allocator.replace(new PacketPool(settings.poolPackets(), settings.poolBufferSize(), head, tail,
                    settings.leakCheck()));
        } else if (pool.headroom() < head || pool.tailroom() < tail) {
            LOG.info("Stages declare {} bytes of headroom and {} of tailroom; the pool has {} and {}: replacing it",
                    head, tail, pool.headroom(), pool.tailroom());
            allocator.replace(new PacketPool(settings.poolPackets(), settings.poolBufferSize(),
                    Math.max(head, pool.headroom()), Math.max(tail, pool.tailroom()), settings.leakCheck()));
        }
    }

    private SlotCounters counters(Direction d, String name) {
        String prefix = d.key() + "." + name;
        SlotCounters sc = counters.get(prefix);
        if (sc == null) {
            sc = new SlotCounters(prefix, striped.allocate(2));
            counters.put(prefix, sc);
        }
        return sc;
    }

    // =====================================================================================================
    // Views
    // =====================================================================================================

    @Override
    public BusAllocator allocator() {
        return allocator;
    }

    /** Outstanding packets of the pool(s) and, with the leak check on, where the oldest was allocated. */
    public LeakReport leaks() {
        return allocator.leaks();
    }

    @Override
    public List<StageInfo> chain(Direction direction) {
        return current(direction).infos;
    }

    /** The slots of {@code direction} with their state, for operators. */
    public List<SlotView> describe(Direction direction) {
        Chain c = current(direction);
        List<SlotView> out = new ArrayList<>();
        for (Slot s : c.slots) {
            StageProvider p = s.provider;
            out.add(new SlotView(s.name, s.box, s.order, s.state(), s.stage != null ? p.serviceId : -1,
                    p == null ? "" : p.bundle, p == null ? 0 : p.ranking, s.hold == null ? 0 : s.hold.size()));
        }
        return out;
    }

    /** The default sink of {@code direction}, or null. */
    public PacketSink defaultSink(Direction direction) {
        return current(direction).defaultSink;
    }

    /** Increases with every rebuild. */
    public long version() {
        return Math.max(outgoing.version, incoming.version);
    }

    @Override
    public Map<String, Long> counters() {
        long[] sums = striped.sum();
        Map<String, Long> m = new TreeMap<>();
        for (SlotCounters sc : counters.values()) {
            long packets = sc.index < sums.length ? sums[sc.index] : 0;
            long bytes = sc.index + 1 < sums.length ? sums[sc.index + 1] : 0;
            m.put(sc.prefix + ".packets", packets);
            m.put(sc.prefix + ".bytes", bytes);
            long held = sc.held.sum();
            if (held > 0) {
                m.put(sc.prefix + ".held", held);
            }
            sc.drops().forEach((reason, n) -> m.put(sc.prefix + ".drop." + reason, n.sum()));
        }
        counterSources.forEach((prefix, source) -> {
            try {
                source.get().forEach((name, value) -> m.put(prefix + "." + name, value));
            } catch (RuntimeException e) {
                LOG.debug("counters of {} unavailable", prefix, e);
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /**
     * Shows counters kept elsewhere beside the bus's own, as {@code <prefix>.<name>} (a device's:
     * {@code device.tun0.read.packets}). The supplier is called by {@link #counters()} only.
     */
    public void addCounterSource(String prefix, java.util.function.Supplier<Map<String, Long>> source) {
        counterSources.put(prefix, source);
    }

    public void removeCounterSource(String prefix) {
        counterSources.remove(prefix);
    }

    /** One counter by name, 0 if absent. */
    public long counter(String name) {
        return counters().getOrDefault(name, 0L);
    }

    // =====================================================================================================
    // Shutdown
    // =====================================================================================================

    /** Stops the hold timers; packets still held are released and counted as {@code bus-closed}. */
    @Override
    public void close() {
        List<Hold> holds = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (SlotState st : slots.values()) {
                cancel(st);
                if (st.hold != null) {
                    holds.add(st.hold);
                }
            }
            for (Chain c : List.of(outgoing, incoming)) {
                Collections.addAll(holds, c.drains);
            }
        }
        scheduler.shutdownNow();
        drainLock.lock();
        try {
            for (Hold h : new LinkedHashSet<>(holds)) {
                SlotCounters sc = counters(h.direction, h.name);
                for (Packet p : h.sealAndTakeAll()) {
                    sc.drop(BUS_CLOSED);
                    release(p);
                }
            }
        } finally {
            drainLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Bus[v" + version() + ", outgoing " + chain(Direction.OUTGOING).size() + " slots, incoming "
                + chain(Direction.INCOMING).size() + " slots]";
    }
}
