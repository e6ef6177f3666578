package org.tunnelbus.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.junit.After;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.StageInfo;
import org.tunnelbus.itests.traffic.CaptureSink;
import org.tunnelbus.itests.traffic.Load;
import org.tunnelbus.itests.traffic.Payload;

/**
 * Base of the Pax Exam test classes: the Pax Exam {@code @Configuration} (the distribution's framework, see
 * {@link TunnelbusOptions}) and, inside the framework, helpers to find services, install the test stage bundles,
 * change configuration through Config Admin or the watched folder, register capture sinks and wait, bounded,
 * for conditions. Whatever a test installs, registers or configures through these helpers is undone after it.
 */
public abstract class ItestSupport {
    /** PID of the packet bus (core). */
    public static final String BUS_PID = "org.tunnelbus.core.bus";
    /** The bus configuration the traffic tests run with: only the test stages serve (the runtime's routing
     * stage would drop the synthetic packets as not-ip/no-route). */
    public static final String ITEST_FILTER = "(" + PipelineStage.NAME + "=itest-*)";
    /**
     * The bus configuration of the traffic tests: only the test stages serve (the distribution's stages would drop
     * the synthetic packets: routing as not-ip/no-route, the OpenVPN data stages as no-session), and none of the
     * distribution's stages is required (its profile requires the OpenVPN framing and crypto stages, which the
     * filter takes out: required and absent, they would drop everything as no-provider).
     */
    public static final Map<String, Object> ONLY_TEST_STAGES = Map.of("stage.filter", ITEST_FILTER, "required.stages", "");
    /** Flow id reserved for warm-up packets (never checked). */
    public static final int WARMUP_FLOW = CaptureSink.MAX_FLOWS - 1;

    @Inject
    protected BundleContext context;

    private final Deque<Runnable> cleanups = new ArrayDeque<>();
    /** Open until the test ends: closing a tracker ungets the service (a service factory's object dies with it). */
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return TunnelbusOptions.runtime(getClass());
    }

    @After
    public void undo() {
        List<Throwable> errors = new ArrayList<>();
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (Throwable t) {
                errors.add(t);
            }
        }
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("cleanup failed: " + errors);
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Runs {@code r} after the test (last registered, first run). */
    protected void onCleanup(Runnable r) {
        cleanups.push(r);
    }

    protected static void log(String fmt, Object... args) {
        System.out.println("[itest] " + String.format(fmt, args));
        System.out.flush();
    }

    // ---- services ----

    /** The service, waiting at most {@code timeoutMillis}; held until the test ends. */
    @SuppressWarnings("unchecked")
    protected <T> T service(Class<T> type, long timeoutMillis) {
        ServiceTracker<T, T> t = null;
        for (ServiceTracker<?, ?> x : trackers) {
            if (x.getService() != null && type.isInstance(x.getService())) {
                return (T) x.getService();
            }
        }
        t = new ServiceTracker<>(context, type, null);
        t.open();
        trackers.add(t);
        try {
            T s = t.waitForService(timeoutMillis);
            if (s == null) {
                throw new AssertionError("no " + type.getName() + " service within " + timeoutMillis + " ms");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected PacketBus bus() {
        return service(PacketBus.class, 30_000);
    }

    protected ConfigurationAdmin configAdmin() {
        return service(ConfigurationAdmin.class, 30_000);
    }

    // ---- bundles ----

    /** The file of a test stage bundle (system property tunnelbus.itest.bundle.KEY, set by the pom). */
    protected static Path testBundleFile(String key) {
        String p = System.getProperty("tunnelbus.itest.bundle." + key);
        if (p == null || p.isBlank() || p.startsWith("${")) {
            throw new AssertionError("system property tunnelbus.itest.bundle." + key + " is not set (run through Maven)");
        }
        return Path.of(p);
    }

    /** Installs (not starts) a test stage bundle from its file; uninstalled after the test. */
    protected Bundle installTestBundle(String key) throws Exception {
        Path file = testBundleFile(key);
        Bundle b = context.installBundle(file.toUri().toString());
        onCleanup(() -> {
            try {
                if (b.getState() != Bundle.UNINSTALLED) {
                    b.uninstall();
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot uninstall " + b.getSymbolicName() + ": " + e, e);
            }
        });
        return b;
    }

    // ---- configuration ----

    /**
     * Waits until FileInstall has turned every file of the watched folder into a configuration. Its first scan runs
     * on its own thread and may finish after the framework (and the test) started: a test that changed a PID before
     * would have its change overwritten by the file's content.
     */
    protected void awaitWatchedFolderLoaded() {
        if (watchedFolderLoaded) {
            return;
        }
        Path dir = watchedConfigDir();
        List<String> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".") && n.matches(".*\\.(cfg|config)"))
                    .forEach(files::add);
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + ": " + e, e);
        }
        await("FileInstall to load " + files + " from " + dir, 30_000, () -> {
            List<String> loaded = new ArrayList<>();
            try {
                Configuration[] cs = configAdmin().listConfigurations("(felix.fileinstall.filename=*)");
                for (Configuration c : cs == null ? new Configuration[0] : cs) {
                    String f = String.valueOf(c.getProperties().get("felix.fileinstall.filename"));
                    loaded.add(f.substring(f.lastIndexOf('/') + 1));
                }
            } catch (IOException | InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
            return loaded.containsAll(files);
        });
        watchedFolderLoaded = true;
    }

    private boolean watchedFolderLoaded;

    /** Adds or replaces properties of {@code pid} through Config Admin; the configuration is restored after. */
    protected void configure(String pid, Map<String, ?> changes) throws IOException {
        awaitWatchedFolderLoaded();
        Configuration c = configAdmin().getConfiguration(pid, "?");
        Dictionary<String, Object> old = c.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (old != null) {
            for (java.util.Enumeration<String> e = old.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                next.put(k, old.get(k));
            }
        }
        changes.forEach((k, v) -> {
            if (v == null) {
                next.remove(k);
            } else {
                next.put(k, v);
            }
        });
        boolean first = cleanups.stream().noneMatch(r -> r instanceof Restore rr && rr.pid.equals(pid));
        if (first) {
            cleanups.push(new Restore(pid, old == null ? null : copy(old)));
        }
        c.update(next);
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (java.util.Enumeration<String> e = d.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            h.put(k, d.get(k));
        }
        return h;
    }

    /** Puts a configuration back as it was (or deletes it). */
    private final class Restore implements Runnable {
        final String pid;
        final Hashtable<String, Object> props;

        Restore(String pid, Hashtable<String, Object> props) {
            this.pid = pid;
            this.props = props;
        }

        @Override
        public void run() {
            try {
                Configuration c = configAdmin().getConfiguration(pid, "?");
                if (props == null) {
                    c.delete();
                } else {
                    c.update(props);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot restore configuration " + pid + ": " + e, e);
            }
        }
    }

    /** The folder FileInstall watches (HOME/config). */
    protected Path watchedConfigDir() {
        String dir = context.getProperty("felix.fileinstall.dir");
        if (dir == null) {
            throw new AssertionError("framework property felix.fileinstall.dir is not set");
        }
        return Path.of(dir);
    }

    /**
     * Writes a file into the watched folder in one step (written beside it, then renamed), as an operator's
     * editor or a deployment tool would; removed after the test (with its configuration).
     */
    protected Path writeWatchedFile(String name, String content) throws IOException {
        awaitWatchedFolderLoaded();
        Path dir = watchedConfigDir();
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir.getParent(), "." + name, ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        onCleanup(() -> {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return target;
    }

    // ---- logs ----

    /**
     * Captures what the launcher would print as log lines from now until the test ends: System.err (slf4j-simple,
     * the Tunnelbus bundles' logs) and the OSGi log's warnings and errors (the launcher forwards those to System.err).
     */
    protected LogCapture captureLogs() {
        LogCapture c = LogCapture.start();
        LogReaderService reader = service(LogReaderService.class, 10_000);
        LogListener l = e -> {
            if (LogLevel.WARN.implies(e.getLogLevel())) {
                c.add("OSGi-log " + e.getLogLevel() + " " + e.getBundle().getSymbolicName() + " - " + e.getMessage()
                        + (e.getException() == null ? "" : ": " + e.getException()));
            }
        };
        reader.addLogListener(l);
        onCleanup(() -> {
            reader.removeLogListener(l);
            c.close();
        });
        return c;
    }

    // ---- sinks and counters ----

    /**
     * Registers {@code sink} as the default sink of {@code direction} (ranking above anything the runtime
     * registers) and waits until the bus delivers to it (warm-up packets of flow {@value #WARMUP_FLOW}).
     */
    protected CaptureSink registerSink(PacketBus bus, Direction direction) {
        CaptureSink sink = new CaptureSink();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PacketSink.DIRECTION, direction.key());
        props.put(Constants.SERVICE_RANKING, 1_000_000);
        ServiceRegistration<PacketSink> reg = context.registerService(PacketSink.class, sink, props);
        onCleanup(reg::unregister);
        long seq = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.flow(WARMUP_FLOW).distinct() == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the bus does not deliver " + direction.key()
                        + " packets to the test sink within 10 s; counters " + bus.counters());
            }
            Packet p = bus.allocator().allocate();
            if (p != null) {
                p.setLength(Payload.LENGTH);
                java.nio.ByteBuffer b = p.data();
                for (int i = 0; i < Payload.LENGTH; i++) {
                    b.put(p.offset() + i, (byte) 0);
                }
                b.putInt(p.offset() + Payload.FLOW_AT, WARMUP_FLOW);
                b.putLong(p.offset() + Payload.SEQ_AT, seq++);
                bus.submit(direction, p);
            }
            sleep(5);
        }
        // Warm-ups sent before the first one arrived may still be on their way (held in a slot whose provider
        // just left, e.g. one a new stage.filter excluded): let them all arrive, so that counters read after
        // this call move only by what the test sends.
        long sent = seq;
        if (!within(10_000, () -> sink.flow(WARMUP_FLOW).distinct() == sent)) {
            throw new AssertionError("only " + sink.flow(WARMUP_FLOW).distinct() + " of " + sent + " warm-up packets of "
                    + direction.key() + " arrived within 10 s; counters " + bus.counters());
        }
        return sink;
    }

    /** {@code after - before} for every counter (absent = 0), without the zeros. */
    protected static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long v = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (v != 0) {
                d.put(e.getKey(), v);
            }
        }
        return d;
    }

    /** The drop counters ({@code *.drop.*}) of a counter map. */
    protected static Map<String, Long> drops(Map<String, Long> counters) {
        Map<String, Long> d = new TreeMap<>();
        counters.forEach((k, v) -> {
            if (k.contains(".drop.") && v != 0) {
                d.put(k, v);
            }
        });
        return d;
    }

    // ---- chains ----

    /**
     * The chain the stage services describe for {@code direction} under {@code stageFilter}, by the contract of
     * {@link PipelineStage}: per slot name the provider with the highest {@code service.ranking} (then the lowest
     * {@code service.id}), at its {@code order} (or its box's default), sorted by order then name.
     */
    protected List<StageInfo> expectedChain(Direction direction, String stageFilter) throws InvalidSyntaxException {
        Filter filter = stageFilter == null || stageFilter.isEmpty() ? null : context.createFilter(stageFilter);
        Collection<ServiceReference<Stage>> refs = context.getServiceReferences(Stage.class, null);
        Map<String, ServiceReference<Stage>> best = new HashMap<>();
        for (ServiceReference<Stage> r : refs) {
            if (filter != null && !filter.match(r)) {
                continue;
            }
            if (!directions(r).contains(direction.key())) {
                continue;
            }
            String name = (String) r.getProperty(PipelineStage.NAME);
            best.merge(name, r, (a, b) -> beats(b, a) ? b : a);
        }
        List<StageInfo> out = new ArrayList<>();
        for (Map.Entry<String, ServiceReference<Stage>> e : best.entrySet()) {
            ServiceReference<Stage> r = e.getValue();
            Object boxProp = r.getProperty(PipelineStage.BOX);
            Box box = boxProp == null ? Box.OTHER : Box.of(boxProp.toString());
            Object o = r.getProperty(PipelineStage.ORDER);
            int order = o instanceof Number n && n.intValue() >= 0 ? n.intValue() : box.order(direction);
            Bundle b = r.getBundle();
            out.add(new StageInfo(e.getKey(), box, order, (Long) r.getProperty(Constants.SERVICE_ID),
                    b.getSymbolicName() + " " + b.getVersion()));
        }
        out.sort((x, y) -> x.order() != y.order() ? Integer.compare(x.order(), y.order()) : x.name().compareTo(y.name()));
        return out;
    }

    private static List<String> directions(ServiceReference<?> r) {
        Object d = r.getProperty(PipelineStage.DIRECTION);
        List<String> out = new ArrayList<>();
        if (d == null) {
            out.add("outgoing");
            out.add("incoming");
        } else if (d instanceof String[] a) {
            for (String s : a) {
                out.add(s.trim().toLowerCase());
            }
        } else if (d instanceof Collection<?> c) {
            c.forEach(x -> out.add(x.toString().trim().toLowerCase()));
        } else {
            out.add(d.toString().trim().toLowerCase());
        }
        return out;
    }

    private static boolean beats(ServiceReference<?> a, ServiceReference<?> b) {
        int ra = a.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        int rb = b.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        if (ra != rb) {
            return ra > rb;
        }
        return (Long) a.getProperty(Constants.SERVICE_ID) < (Long) b.getProperty(Constants.SERVICE_ID);
    }

    /** The service id of the Stage service a bundle registered (exactly one expected). */
    protected long stageServiceId(Bundle b) {
        ServiceReference<?>[] refs = b.getRegisteredServices();
        List<Long> ids = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                String[] classes = (String[]) r.getProperty(Constants.OBJECTCLASS);
                if (java.util.Arrays.asList(classes).contains(Stage.class.getName())) {
                    ids.add((Long) r.getProperty(Constants.SERVICE_ID));
                }
            }
        }
        if (ids.size() != 1) {
            throw new AssertionError(b.getSymbolicName() + " registers " + ids.size() + " Stage services: " + ids);
        }
        return ids.get(0);
    }

    protected static String describe(List<StageInfo> chain) {
        StringBuilder sb = new StringBuilder("[");
        for (StageInfo s : chain) {
            sb.append(sb.length() > 1 ? ", " : "").append(s.name()).append('@').append(s.order()).append(" #")
                    .append(s.serviceId()).append(' ').append(s.bundle());
        }
        return sb.append(']').toString();
    }

    // ---- waiting ----

    /** Starts fail-fast checks of a running load: {@link #await} fails as soon as one of its producers died. */
    protected Load track(Load load) {
        loads.add(load);
        onCleanup(() -> load.stopQuietly(10_000));
        return load;
    }

    private final List<Load> loads = new ArrayList<>();

    /**
     * Waits until {@code condition} holds, polling every 5 ms; fails with {@code what} after the time, or at once
     * when a tracked load's producer died.
     */
    protected void await(String what, long timeoutMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            for (Load l : loads) {
                l.throwIfFailed();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            sleep(5);
        }
    }

    /** Waits until {@code condition} holds or the time is up; returns whether it holds. */
    protected static boolean within(long timeoutMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(5);
        }
        return true;
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
