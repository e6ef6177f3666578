package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.device.DeviceInfo;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceMode;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.device.tun.internal.InterfaceConfigurator.Link;

/**
 * A TUN/TAP device on {@code /dev/net/tun}: one component instance per factory configuration of
 * {@value #PID}, published as a {@link PacketDevice} with {@value PacketDevice#NAME} set to the kernel's
 * interface name.
 *
 * <h2>Flow</h2>
 * <pre>
 *   kernel ──▶ queue 0..N-1 ──▶ QueueReader (one thread each): poll, read N packets into pooled buffers
 *                                 └─▶ DeviceListener.read(batch)   (the core's OUTGOING chain, same thread)
 *   core INCOMING chain ──▶ write(batch) ──▶ write(2) per packet on queue (flow hash mod N) ──▶ kernel
 * </pre>
 *
 * <h2>Concurrency model</h2>
 * <ul>
 *   <li><b>Lifecycle</b> (activate, modified, deactivate, start, stop) runs under one lock, on SCR/Config
 *       Admin threads or the core's binder. It never waits on a data-path thread longer than the stop
 *       budget (900 ms): readers are woken through an eventfd they poll on.</li>
 *   <li><b>Data path</b>: readers own their batch and buffers; {@link #write} may be called by any number
 *       of threads at once. Both read the open device through one volatile field ({@code open}); no lock
 *       and no allocation per packet. A writer "enters" the open device (an in-flight counter) so the
 *       lifecycle closes the descriptors only after the last writer left.</li>
 *   <li><b>Loss</b>: a reader or writer that finds the interface gone ({@code POLLERR}, {@code EBADFD}) marks
 *       the device LOST once (compare-and-set), stops the other readers, tells the parent and logs one
 *       line. It takes no lock. The next configuration update opens the device again (recovery).</li>
 * </ul>
 */
@Component(name = TunDevice.PID, configurationPid = TunDevice.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TunDevice.Config.class, factory = true)
public final class TunDevice implements PacketDevice {
    /** The factory configuration PID. */
    public static final String PID = "org.tunnelbus.device.tun";
    /** Service property: {@code TUN} or {@code TAP}. */
    public static final String MODE = "tunnelbus.device.mode";
    /** Service property: the interface MTU. */
    public static final String MTU = "tunnelbus.device.mtu";
    /** Service property: the number of queues (readers). */
    public static final String QUEUES = "tunnelbus.device.queues";
    /** Service property: packets carry a virtio-net header (GSO super-packets possible). */
    public static final String OFFLOAD = "tunnelbus.device.offload";
    /** Service property: the network namespace of the interface, when not the process's own. */
    public static final String NETNS = "tunnelbus.device.netns";
    /** Service property: the configuration PID that made this device. */
    public static final String CONFIG_PID = "tunnelbus.device.pid";

    private static final Logger LOG = LoggerFactory.getLogger(TunDevice.class);
    private static final long STOP_BUDGET_NS = TimeUnit.MILLISECONDS.toNanos(900);
    private static final long DRAIN_WRITERS_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Bytes a GSO read may need: a 64 KiB super-packet, its virtio-net header, Ethernet + VLAN for TAP. */
    static final int GSO_MAX_READ = 65536 + VirtioNetHeader.SIZE + 18;

    @ObjectClassDefinition(name = "Tunnelbus TUN/TAP device",
            description = "A kernel TUN (IP) or TAP (Ethernet) interface on /dev/net/tun, the local end of the tunnels. "
                    + "One device per configuration. Needs CAP_NET_ADMIN.")
    @interface Config {
        @AttributeDefinition(name = "Interface name",
                description = "Kernel interface name, 1-15 characters [A-Za-z0-9_.-]; a %d lets the kernel pick a number (tb%d -> tb0).")
        String name() default "tb%d";

        @AttributeDefinition(name = "Mode", description = "TUN carries IP packets, TAP Ethernet frames.",
                options = {@Option(label = "TUN (IP, layer 3)", value = "TUN"), @Option(label = "TAP (Ethernet, layer 2)", value = "TAP")})
        String mode() default "TUN";

        @AttributeDefinition(name = "MTU", description = "Interface MTU, 68..65535 (1280 or more with IPv6 addresses). Applied live.",
                min = "68", max = "65535")
        int mtu() default 1500;

        @AttributeDefinition(name = "Transmit queue length", description = "Packets the kernel queues for the device per queue. Applied live.",
                min = "0", max = "1000000")
        int txqueuelen() default 1000;

        @AttributeDefinition(name = "Queues", description = "Number of queues (IFF_MULTI_QUEUE when more than 1), one reader thread each.",
                min = "1", max = "64")
        int queues() default 1;

        @AttributeDefinition(name = "Offload",
                description = "IFF_VNET_HDR + TUNSETOFFLOAD (checksum, TSO, USO): reads may be 64 KiB GSO super-packets, "
                        + "each packet carries a 10-byte virtio-net header.")
        boolean offload() default false;

        @AttributeDefinition(name = "Addresses", description = "Interface addresses with prefix length: 10.8.0.1/24, fd00:8::1/64. Applied live.")
        String[] addresses() default {};

        @AttributeDefinition(name = "Routes", description = "Routes into the device: 'prefix [via address] [metric n]'. Added with the device, "
                + "removed with it. Applied live.")
        String[] routes() default {};

        @AttributeDefinition(name = "Network namespace", description = "Name of a network namespace (/var/run/netns/NAME) to create the "
                + "interface in; empty: the process's namespace.")
        String netns() default "";

        @AttributeDefinition(name = "Batch size", description = "Packets read per wake-up of a reader, 1..1024.", min = "1", max = "1024")
        int batch_size() default 64;

        @AttributeDefinition(name = "Coalesce writes",
                description = "With offload, TUN: consecutive segments of one TCP flow in a written batch go to the kernel as one "
                        + "GSO super-packet (one writev), as the kernel's GRO would merge them. Applied live.")
        boolean coalesce() default true;

        @AttributeDefinition(name = "MAC address", description = "TAP only: the interface's MAC address (aa:bb:cc:dd:ee:ff); empty: random.")
        String mac() default "";
    }

    /** The open kernel device and what was configured on it. */
    private final class Open {
        final TunFd fd;
        final String name;
        final DeviceConfig config;
        final boolean vnet;
        final boolean tun;
        final AtomicInteger inflight = new AtomicInteger();
        final AtomicBoolean lost = new AtomicBoolean();
        final List<DeviceConfig.IfAddress> addresses = new ArrayList<>();
        final List<DeviceConfig.Route> routes = new ArrayList<>();
        volatile boolean closing;
        volatile Readers readers;

        Open(TunFd fd, DeviceConfig config) {
            this.fd = fd;
            this.name = fd.name();
            this.config = config;
            this.vnet = config.offload();
            this.tun = config.mode() == DeviceMode.TUN;
        }

        Link link() {
            return new Link(config.netns(), name);
        }

        boolean enter() {
            inflight.incrementAndGet();
            if (closing) {
                inflight.decrementAndGet();
                return false;
            }
            return true;
        }

        void exit() {
            inflight.decrementAndGet();
        }
    }

    /** The running readers of an open device and the eventfd that wakes them all. */
    private final class Readers {
        final QueueReader[] readers;
        final int wakeFd;
        private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1L);

        Readers(QueueReader[] readers, int wakeFd) {
            this.readers = readers;
            this.wakeFd = wakeFd;
        }

        void signal() {
            for (QueueReader r : readers) {
                r.requestStop();
            }
            nat.libc.write(wakeFd, nat.address(one), 8);
        }
    }

    private final InterfaceConfigurator configurator;
    private final DeviceCounters counters = new DeviceCounters();
    private final Object lock = new Object();
    private Native nat;

    // lifecycle, guarded by lock
    private String pid = PID;
    private String who = PID;
    private ServicePublisher publisher;
    private ServicePublisher.Registration registration;
    private Map<String, Object> registered;
    private DeviceConfig config;
    private Open current;
    private boolean deactivated;

    // read without the lock
    private volatile DeviceListener parent;
    private volatile Open open;
    private volatile DeviceState state = DeviceState.CLOSED;
    private volatile DeviceInfo info = new DeviceInfo("", DeviceMode.TUN, 0, 0, false);
    private volatile String lastRefusal;
    private volatile boolean coalesce = true;
    private final ThreadLocal<TcpCoalescer.Scratch> scratch = ThreadLocal.withInitial(() -> new TcpCoalescer.Scratch(nat));

    /** For SCR. */
    public TunDevice() {
        this(new IpCommandConfigurator());
    }

    TunDevice(InterfaceConfigurator configurator) {
        this.configurator = configurator;
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        activate(ServicePublisher.of(context), properties);
    }

    /** Opens and configures the device and publishes it; throws (and logs) when that is not possible. */
    void activate(ServicePublisher publisher, Map<String, ?> properties) {
        synchronized (lock) {
            this.publisher = publisher;
            this.pid = pidOf(properties);
            this.who = who(properties);
            DeviceConfig c;
            try {
                c = DeviceConfig.parse(properties);
            } catch (ConfigException e) {
                lastRefusal = e.getMessage();
                LOG.error("{}: configuration refused, {}; no device opened", who, e.getMessage());
                throw new IllegalArgumentException(pid + ": " + e.getMessage(), e);
            }
            try {
                nat = Native.get();
                Open o = openAndConfigure(c);
                config = c;
                becomeUp(o);
            } catch (RuntimeException e) {
                LOG.error("{}: cannot open the device: {}", who, e.getMessage());
                throw e;
            }
            publish();
        }
    }

    /**
     * Applies a configuration update: MTU, txqueuelen, MAC, addresses and routes live; name, mode, queues,
     * offload, netns and batch size by opening the device again. A refused value keeps the running device
     * as it is. A device that was lost is opened again (recovery).
     */
    @Modified
    void modified(Map<String, ?> properties) {
        DeviceConfig next;
        try {
            next = DeviceConfig.parse(properties);
        } catch (ConfigException e) {
            lastRefusal = e.getMessage();
            LOG.error("{}: configuration refused, {}; {} keeps its running configuration", who(properties), e.getMessage(), info.name());
            return;
        }
        synchronized (lock) {
            if (deactivated) {
                return;
            }
            lastRefusal = null;
            Open o = current;
            boolean wasLost = o == null || o.lost.get();
            if (wasLost || config.needsReopen(next)) {
                reopen(next, wasLost);
            } else if (!next.equals(config)) {
                applyLive(o, next);
            }
        }
    }

    @Deactivate
    void deactivate() {
        long t0 = System.nanoTime();
        ServicePublisher.Registration reg;
        synchronized (lock) {
            deactivated = true;
            reg = registration;
            registration = null;
            registered = null;
        }
        if (reg != null) {
            reg.unregister(); // the core's binder stops us and detaches its sink
        }
        synchronized (lock) {
            DeviceListener l = parent;
            parent = null;
            String name = current != null ? current.name : info.name();
            closeCurrent();
            state = DeviceState.CLOSED;
            notifyState(l, DeviceState.CLOSED, name + " closed (component deactivated)");
            LOG.info("{}: closed {} in {} ms", who, name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    // ------------------------------------------------------------------------------------------ PacketDevice

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public void start(DeviceListener listener) {
        synchronized (lock) {
            Open o = current;
            if (o != null) {
                stopReaders(o);
            }
            parent = listener;
            if (o != null && !o.lost.get() && !o.closing) {
                startReaders(o, listener);
            } else {
                notifyState(listener, state, info.name() + " is " + state + (lastRefusal == null ? "" : "; last refusal: " + lastRefusal));
            }
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            Open o = current;
            if (o != null) {
                stopReaders(o);
            }
            parent = null;
        }
    }

    /**
     * Writes every packet of the batch with one {@code write(2)} each (or runs of TCP segments with one
     * {@code writev(2)}, see {@link TcpCoalescer}), on the queue chosen by a symmetric hash of the packet's
     * flow ({@link FlowHash}). Packets are released; failures are counted by reason, never thrown.
     */
    @Override
    public void write(PacketBatch batch) {
        Open o = open;
        int size = batch.size();
        if (o == null || !o.enter()) {
            for (int i = 0; i < size; i++) {
                Packet p = batch.get(i);
                if (p != null) {
                    counters.drop(DeviceCounters.Drop.NOT_OPEN);
                    p.release();
                }
            }
            batch.clear();
            return;
        }
        try {
            if (o.vnet && o.tun && coalesce && size > 1) {
                writeCoalescing(o, batch, size);
            } else {
                for (int i = 0; i < size; i++) {
                    Packet p = batch.get(i);
                    if (p != null) {
                        try {
                            writeOne(o, p);
                        } catch (RuntimeException e) {
                            counters.drop(DeviceCounters.Drop.INVALID); // a packet whose headers lie: dropped, never thrown
                        } finally {
                            p.release();
                        }
                    }
                }
            }
        } finally {
            o.exit();
            batch.clear();
        }
    }

    /** Offload + TUN: runs of segments of one TCP flow go out as one super-packet each (see {@link TcpCoalescer}). */
    private void writeCoalescing(Open o, PacketBatch batch, int size) {
        TcpCoalescer.Scratch s = scratch.get();
        Packet[] run = s.run;
        int i = 0;
        while (i < size) {
            if (batch.get(i) == null) {
                i++;
                continue;
            }
            int n = 1;
            try {
                n = TcpCoalescer.collect(batch, i, size, run);
                if (n == 1) {
                    writeOne(o, run[0]);
                } else {
                    writeRun(o, run, n, s);
                }
            } catch (RuntimeException e) {
                if (run[0] == null) {
                    run[0] = batch.get(i);
                }
                for (int k = 0; k < n; k++) {
                    counters.drop(DeviceCounters.Drop.INVALID); // a packet whose headers lie: dropped, never thrown
                }
            } finally {
                for (int k = 0; k < n; k++) {
                    run[k].release();
                    run[k] = null;
                }
            }
            i += n;
        }
    }

    private void writeRun(Open o, Packet[] run, int n, TcpCoalescer.Scratch s) {
        long bytes = TcpCoalescer.merge(nat, run, n, s);
        int queues = o.fd.queues();
        Packet first = run[0];
        int q = queues == 1 ? 0 : FlowHash.queue(first.buffer(), first.offset(), first.length(), true, false, queues);
        long r = nat.libc.writev(o.fd.fd(q), s.iovAddress, n);
        if (r >= 0) {
            counters.writePackets.add(n);
            counters.writeGso.increment();
            counters.writeBytes.add(r - VirtioNetHeader.SIZE);
            return;
        }
        int e = nat.errno();
        for (int k = 0; k < n; k++) {
            dropForErrno(o, e);
        }
    }

    private void dropForErrno(Open o, int e) {
        switch (e) {
            case Native.EAGAIN, Native.ENOBUFS, Native.ENOMEM -> counters.drop(DeviceCounters.Drop.NO_BUFFER);
            case Native.EIO -> counters.drop(DeviceCounters.Drop.LINK_DOWN);
            case Native.EINVAL, Native.EFAULT, Native.EMSGSIZE -> counters.drop(DeviceCounters.Drop.INVALID);
            case Native.EBADFD, Native.EBADF -> {
                counters.drop(DeviceCounters.Drop.NOT_OPEN);
                lost(o, "write: " + nat.strerror(e) + " - interface deleted underneath");
            }
            default -> counters.drop(DeviceCounters.Drop.WRITE_ERROR);
        }
    }

    private void writeOne(Open o, Packet p) {
        ByteBuffer buf = p.buffer();
        int header = 0;
        if (o.vnet) {
            header = VirtioNetHeader.SIZE;
            int version = p.length() > 0 ? buf.get(p.offset()) & 0xf0 : 0;
            if (o.tun && (version == 0x40 || version == 0x60)) {
                // a plain IP packet: put a "no GSO, checksum complete" header in front, in the headroom
                if (p.headroom() < VirtioNetHeader.SIZE) {
                    counters.drop(DeviceCounters.Drop.NO_HEADROOM);
                    return;
                }
                VirtioNetHeader.writeNone(buf, p.prepend(VirtioNetHeader.SIZE));
            } else if (p.length() <= VirtioNetHeader.SIZE) {
                counters.drop(DeviceCounters.Drop.INVALID);
                return;
            }
        } else if (p.length() == 0) {
            counters.drop(DeviceCounters.Drop.INVALID);
            return;
        }
        int queues = o.fd.queues();
        int q = queues == 1 ? 0 : FlowHash.queue(buf, p.offset(), p.length(), o.vnet, !o.tun, queues);
        long r = nat.libc.write(o.fd.fd(q), nat.address(buf) + p.offset(), p.length());
        if (r >= 0) {
            counters.writePackets.increment();
            counters.writeBytes.add(r - header);
            return;
        }
        dropForErrno(o, nat.errno());
    }

    // ------------------------------------------------------------------------------------------ management

    /**
     * A snapshot of this device's counters by name, for status pages and the management socket, named as
     * {@code Transport#counters()} names its own: {@code read.packets}, {@code read.bytes},
     * {@code read.batches}, {@code read.gso}, {@code write.packets}, {@code write.bytes}, {@code write.gso},
     * {@code drop.<reason>}, {@code lost}, {@code recovered}, {@code pool.empty}, {@code listener.errors}.
     * The core shows them as {@code device.<name>.*}. Allocates; safe from any thread, also after close.
     */
    @Override
    public Map<String, Long> counters() {
        return counters.snapshot("");
    }

    /** The state last reported. */
    public DeviceState state() {
        return state;
    }

    /** The message of the last refused configuration, or null when the last one was accepted. */
    public String lastRefusal() {
        return lastRefusal;
    }

    DeviceCounters rawCounters() {
        return counters;
    }

    // ------------------------------------------------------------------------------------------ internals

    private static String pidOf(Map<String, ?> p) {
        Object v = p.get("service.pid");
        return v == null ? PID : v.toString();
    }

    /** For log lines: the configuration's PID, and the file it came from when FileInstall made it. */
    private static String who(Map<String, ?> p) {
        Object file = p.get("felix.fileinstall.filename");
        return pidOf(p) + (file == null ? "" : " (" + file + ")");
    }

    private Open openAndConfigure(DeviceConfig c) {
        TunFd fd;
        try {
            fd = TunFd.open(c);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Open o = new Open(fd, c);
        Link link = o.link();
        try {
            step(DeviceConfig.MTU, () -> configurator.setMtu(link, c.mtu()));
            step(DeviceConfig.TXQUEUELEN, () -> configurator.setTxQueueLen(link, c.txqueuelen()));
            if (!c.mac().isEmpty()) {
                step(DeviceConfig.MAC, () -> configurator.setMac(link, c.mac()));
            }
            for (DeviceConfig.IfAddress a : c.addresses()) {
                step(DeviceConfig.ADDRESSES, () -> configurator.addAddress(link, a));
                o.addresses.add(a);
            }
            step(DeviceConfig.NAME, () -> configurator.setUp(link));
            for (DeviceConfig.Route r : c.routes()) {
                step(DeviceConfig.ROUTES, () -> configurator.addRoute(link, r));
                o.routes.add(r);
            }
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        LOG.info("{}: opened {} mode {} mtu {} queues {} offload {}{}{}{}", who, o.name, c.mode(), c.mtu(), c.queues(),
                c.offload() ? "on (0x" + Integer.toHexString(fd.offloadFlags()) + ")" : "off",
                c.netns().isEmpty() ? "" : " netns " + c.netns(),
                c.addresses().isEmpty() ? "" : " addresses " + c.addresses(),
                c.routes().isEmpty() ? "" : " routes " + c.routes());
        return o;
    }

    /** Runs one configuration step; a failure names the property it came from. */
    private static void step(String property, Runnable r) {
        try {
            r.run();
        } catch (InterfaceConfigurator.ConfigureException e) {
            throw new ConfigException(property, e.getMessage());
        }
    }

    private void becomeUp(Open o) {
        coalesce = config.coalesce();
        current = o;
        open = o;
        state = DeviceState.UP;
        info = new DeviceInfo(o.name, o.config.mode(), config.mtu(), o.fd.queues(), o.vnet);
    }

    private void applyLive(Open o, DeviceConfig next) {
        Link link = o.link();
        DeviceConfig c = config;
        int mtu = c.mtu();
        int txq = c.txqueuelen();
        String mac = c.mac();
        List<String> failed = new ArrayList<>();
        if (next.mtu() != mtu) {
            if (live(failed, DeviceConfig.MTU, () -> configurator.setMtu(link, next.mtu()))) {
                mtu = next.mtu();
            }
        }
        if (next.txqueuelen() != txq) {
            if (live(failed, DeviceConfig.TXQUEUELEN, () -> configurator.setTxQueueLen(link, next.txqueuelen()))) {
                txq = next.txqueuelen();
            }
        }
        if (!next.mac().equals(mac) && !next.mac().isEmpty()) {
            if (live(failed, DeviceConfig.MAC, () -> configurator.setMac(link, next.mac()))) {
                mac = next.mac();
            }
        }
        for (DeviceConfig.Route r : List.copyOf(o.routes)) {
            if (!next.routes().contains(r) && live(failed, DeviceConfig.ROUTES, () -> configurator.removeRoute(link, r))) {
                o.routes.remove(r);
            }
        }
        for (DeviceConfig.IfAddress a : List.copyOf(o.addresses)) {
            if (!next.addresses().contains(a) && live(failed, DeviceConfig.ADDRESSES, () -> configurator.removeAddress(link, a))) {
                o.addresses.remove(a);
            }
        }
        for (DeviceConfig.IfAddress a : next.addresses()) {
            if (!o.addresses.contains(a) && live(failed, DeviceConfig.ADDRESSES, () -> configurator.addAddress(link, a))) {
                o.addresses.add(a);
            }
        }
        for (DeviceConfig.Route r : next.routes()) {
            if (!o.routes.contains(r) && live(failed, DeviceConfig.ROUTES, () -> configurator.addRoute(link, r))) {
                o.routes.add(r);
            }
        }
        config = new DeviceConfig(next.name(), next.mode(), mtu, txq, next.queues(), next.offload(), o.addresses, o.routes,
                next.netns(), next.batchSize(), mac, next.coalesce());
        coalesce = next.coalesce();
        info = new DeviceInfo(o.name, config.mode(), mtu, o.fd.queues(), o.vnet);
        if (failed.isEmpty()) {
            LOG.info("{}: {} reconfigured live: mtu {} txqueuelen {} addresses {} routes {}", who, o.name, mtu, txq, o.addresses, o.routes);
        } else {
            lastRefusal = String.join("; ", failed);
            LOG.error("{}: {} reconfigured live, but the kernel refused: {}", who, o.name, lastRefusal);
        }
        publish();
    }

    private boolean live(List<String> failed, String property, Runnable r) {
        try {
            r.run();
            return true;
        } catch (InterfaceConfigurator.ConfigureException e) {
            failed.add("property '" + property + "': " + e.getMessage());
            return false;
        }
    }

    private void reopen(DeviceConfig next, boolean wasLost) {
        DeviceConfig prev = config;
        DeviceListener l = parent;
        String prevName = current != null ? current.name : info.name();
        closeCurrent();
        Open o;
        try {
            o = openAndConfigure(next);
            config = next;
        } catch (RuntimeException e) {
            lastRefusal = e.getMessage();
            LOG.error("{}: cannot open {} with the new configuration: {}", who, next.name(), e.getMessage());
            o = null;
            if (prev != null && !wasLost) {
                try {
                    o = openAndConfigure(prev);
                    LOG.warn("{}: previous configuration of {} restored", who, o.name);
                } catch (RuntimeException e2) {
                    LOG.error("{}: cannot restore the previous configuration either: {}", who, e2.getMessage());
                }
            }
            if (o == null) {
                state = DeviceState.LOST;
                notifyState(l, DeviceState.LOST, "cannot open " + next.name() + ": " + e.getMessage());
                return;
            }
        }
        becomeUp(o);
        if (wasLost) {
            counters.recovered.increment();
            LOG.info("{}: {} recovered (opened again after it was lost)", who, o.name);
        } else {
            LOG.info("{}: {} reopened as {} for the new configuration", who, prevName, o.name);
        }
        Map<String, Object> props = serviceProperties();
        if (registration != null && registered != null && identityChanged(registered, props)) {
            // another device for the bus: unpublish (the core stops us) and publish again (it starts us)
            ServicePublisher.Registration reg = registration;
            registration = null;
            registered = null;
            reg.unregister();
        }
        publish();
        DeviceListener now = parent; // still set when nobody stopped us while we were unregistered
        if (now != null && o.readers == null && current == o) {
            startReaders(o, now);
            notifyState(now, DeviceState.UP, o.name + (wasLost ? " recovered" : " reopened"));
        }
    }

    private static boolean identityChanged(Map<String, Object> a, Map<String, Object> b) {
        for (String k : List.of(PacketDevice.NAME, MODE, OFFLOAD, NETNS)) {
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> serviceProperties() {
        DeviceInfo i = info;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(PacketDevice.NAME, i.name());
        p.put(MODE, i.mode().name());
        p.put(MTU, i.mtu());
        p.put(QUEUES, i.queues());
        p.put(OFFLOAD, i.offload());
        if (config != null && !config.netns().isEmpty()) {
            p.put(NETNS, config.netns());
        }
        p.put(CONFIG_PID, pid);
        return p;
    }

    private void publish() {
        if (publisher == null || deactivated) {
            return;
        }
        Map<String, Object> props = serviceProperties();
        if (registration == null) {
            registered = props;
            registration = publisher.publish(this, props);
        } else if (!props.equals(registered)) {
            registered = props;
            registration.update(props);
        }
    }

    private void startReaders(Open o, DeviceListener l) {
        PacketAllocator alloc = l.allocator();
        if (o.vnet) {
            int wanted = alloc.capacity() >= GSO_MAX_READ ? TunFd.OFFLOAD_ALL : Native.TUN_F_CSUM;
            if (wanted != TunFd.OFFLOAD_ALL) {
                LOG.warn("{}: pool buffers hold {} bytes, less than a 64 KiB GSO super-packet ({}): TSO/USO off, checksum offload only",
                        o.name, alloc.capacity(), GSO_MAX_READ);
            }
            if (wanted != TunFd.OFFLOAD_ALL || !o.fd.gso()) {
                o.fd.offload(wanted);
            }
        }
        int need = config.mtu() + (o.tun ? 0 : 18) + (o.vnet ? VirtioNetHeader.SIZE : 0);
        if (alloc.capacity() < need) {
            LOG.warn("{}: pool buffers hold {} bytes, less than the MTU needs ({}): longer packets are dropped as truncated",
                    o.name, alloc.capacity(), need);
        }
        int wake = nat.libc.eventfd(0, Native.EFD_CLOEXEC | Native.EFD_NONBLOCK);
        if (wake < 0) {
            throw new IllegalStateException(o.name + ": eventfd: " + nat.strerror(nat.errno()));
        }
        QueueReader[] rs = new QueueReader[o.fd.queues()];
        for (int q = 0; q < rs.length; q++) {
            rs[q] = new QueueReader(nat, o.name, q, o.fd.fd(q), wake, l, config.batchSize(), counters, o.vnet, reason -> lost(o, reason));
        }
        o.readers = new Readers(rs, wake);
        for (QueueReader r : rs) {
            r.start();
        }
    }

    /** Stops the readers of {@code o} within the stop budget. */
    private void stopReaders(Open o) {
        Readers rs = o.readers;
        if (rs == null) {
            return;
        }
        o.readers = null;
        rs.signal();
        long deadline = System.nanoTime() + STOP_BUDGET_NS;
        boolean all = true;
        for (QueueReader r : rs.readers) {
            try {
                if (!r.join(deadline)) {
                    all = false;
                    LOG.warn("{}: reader {} did not stop within {} ms (busy in the parent?)", o.name, r.thread().getName(),
                            TimeUnit.NANOSECONDS.toMillis(STOP_BUDGET_NS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                all = false;
            }
        }
        if (all) {
            nat.libc.close(rs.wakeFd);
        }
    }

    /** Stops the readers, waits for writers to leave and closes the descriptors: the interface goes away. */
    private void closeCurrent() {
        Open o = current;
        if (o == null) {
            return;
        }
        current = null;
        if (open == o) {
            open = null;
        }
        stopReaders(o);
        o.closing = true;
        long until = System.nanoTime() + DRAIN_WRITERS_NS;
        while (o.inflight.get() > 0 && System.nanoTime() < until) {
            LockSupport.parkNanos(20_000);
        }
        o.fd.close();
    }

    /** The interface went away underneath: one log line, one count, the parent told; no lock taken. */
    private void lost(Open o, String reason) {
        if (o.closing || !o.lost.compareAndSet(false, true)) {
            return; // closed by its owner (a late reader saw its own closed descriptor), or already reported
        }
        if (open == o) {
            open = null;
        }
        state = DeviceState.LOST;
        counters.lost.increment();
        LOG.warn("{}: device {} lost: {}; reads and writes stopped until its configuration is applied again", who, o.name, reason);
        Readers rs = o.readers;
        if (rs != null) {
            rs.signal();
        }
        notifyState(parent, DeviceState.LOST, o.name + " lost: " + reason);
    }

    private void notifyState(DeviceListener l, DeviceState s, String reason) {
        if (l == null) {
            return;
        }
        try {
            l.stateChanged(s, reason);
        } catch (RuntimeException e) {
            LOG.warn("{}: parent failed on state {}: {}", who, s, e.toString());
        }
    }
}
