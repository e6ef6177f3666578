package org.tunnelbus.device.tun.internal;

import org.tunnelbus.testsupport.TestPacketPool;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * Benchmark harness of the device alone, in network namespaces it creates and removes. Run it (as root):
 *
 * <pre>
 * mvn -o -q -pl bundles/device-tun test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.tunnelbus.device.tun.internal.TunDeviceBench [-Dexec.args=SECONDS]
 * </pre>
 *
 * Scenarios, each with 1 and 2 queues, offload off and on:
 * <ul>
 *   <li><b>read</b>: UDP datagrams of 1400 bytes, sent by threads inside the namespace to an address routed
 *       into the device, read and released by the device (the stage drops them).</li>
 *   <li><b>write</b>: one thread writes batches of 64 UDP packets of 1400 bytes into the device, addressed to
 *       the namespace (the kernel delivers them to a socket nobody reads, then drops them).</li>
 *   <li><b>tunnel</b>: two namespaces whose only link is a pair of devices bridged by the harness (what A
 *       reads, B writes, and back): iperf3 TCP through it, i.e. a tunnel with no encryption, in which the
 *       devices do all the work of the data path.</li>
 * </ul>
 * Figures: packets/s and Gbit/s read and written (device counters); CPU of the device's threads (readers,
 * and the writer of the write scenario) in cores and per packet; "Gbit/s per device core", the bytes moved
 * per CPU-second of those threads, i.e. what the device could move with a whole core; packets per read
 * batch; bytes allocated per packet on those threads (ThreadMXBean). In the tunnel scenario the device
 * threads' CPU includes the kernel's receive path that runs inside their write(2) calls.
 */
public final class TunDeviceBench {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int PAYLOAD = 1400;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (args.length > 1 && args[1].equals("write-offload")) {
            write(1, true, seconds);
            return;
        }
        if (args.length > 1 && args[1].equals("segmented")) {
            for (boolean coalesce : new boolean[] {false, true}) {
                segmented(coalesce, seconds);
            }
            return;
        }
        System.out.println("| scenario | queues | offload | read kpkt/s | read Gbit/s | write kpkt/s | write Gbit/s | iperf3 Gbit/s | device CPU (cores) | device CPU µs/pkt | Gbit/s per device core | pkts/read batch | alloc B/pkt |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (boolean offload : new boolean[] {false, true}) {
            for (int q : new int[] {1, 2}) {
                read(q, offload, seconds);
            }
        }
        for (boolean offload : new boolean[] {false, true}) {
            for (int q : new int[] {1, 2}) {
                write(q, offload, seconds);
            }
        }
        for (boolean offload : new boolean[] {false, true}) {
            for (int q : new int[] {1, 2}) {
                tunnel(q, offload, seconds);
            }
        }
        System.out.println();
        System.out.println("| segmented tunnel (A reads TSO, cut to MTU in Java, B writes) | iperf3 Gbit/s | B write kpkt/s | B write Gbit/s | B packets per super-packet | µs in B.write per packet | Gbit/s per core of B.write |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (boolean coalesce : new boolean[] {false, true}) {
            segmented(coalesce, seconds);
        }
    }

    static void segmented(boolean coalesce, int seconds) throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            SegmentingBridge sa = new SegmentingBridge(TestAllocator.gso());
            SegmentingBridge sb = new SegmentingBridge(TestAllocator.gso());
            TunDevice da = open(a, Map.of("name", "tbsa", "offload", true, "addresses", "10.223.0.1/24"), sa);
            TunDevice db = open(b, Map.of("name", "tbsb", "offload", true, "coalesce", coalesce, "addresses", "10.223.0.2/24"), sb);
            sa.target = db;
            sb.target = da;
            try {
                b.start("iperf3", "-s", "-1", "-B", "10.223.0.2");
                for (int i = 0; i < 50 && !b.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport", "= :5201").output().contains("5201"); i++) {
                    Thread.sleep(100);
                }
                long wp = c(db, "write.packets");
                long wb = c(db, "write.bytes");
                long wg = c(db, "write.gso");
                long ns0 = sa.writeNanos.sum();
                long t0 = System.nanoTime();
                Netns.Result r = a.exec(Duration.ofSeconds(seconds + 30L), "iperf3", "-c", "10.223.0.2", "-t", Integer.toString(seconds), "-f", "g");
                double secs = (System.nanoTime() - t0) / 1e9;
                wp = c(db, "write.packets") - wp;
                wb = c(db, "write.bytes") - wb;
                wg = c(db, "write.gso") - wg;
                long spent = sa.writeNanos.sum() - ns0;
                Matcher m = Pattern.compile("([0-9.]+) Gbits/sec\\s.*receiver").matcher(r.output());
                String gbit = "?";
                while (m.find()) {
                    gbit = m.group(1);
                }
                long pk = Math.max(1, wp);
                System.out.printf(Locale.ROOT, "| coalesce %s | %s | %.0f | %.2f | %s | %.2f | %.1f |%n", coalesce ? "on" : "off", gbit,
                        wp / secs / 1e3, wb * 8 / secs / 1e9, wg == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (double) wp / wg),
                        spent / 1e3 / pk, wb * 8.0 / Math.max(1, spent));
            } finally {
                da.deactivate();
                db.deactivate();
            }
        }
    }

    /** Allocated bytes and CPU nanoseconds of the threads whose name starts with a prefix. */
    private static long[] threadStats(String prefix, Thread extra) {
        long alloc = 0;
        long cpu = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) || t == extra) {
                alloc += THREADS.getThreadAllocatedBytes(t.getId());
                cpu += THREADS.getThreadCpuTime(t.getId());
            }
        }
        return new long[] {alloc, cpu};
    }

    private static final class Sink implements DeviceListener {
        final PacketAllocator alloc;
        volatile TunDevice target;

        Sink(PacketAllocator alloc) {
            this.alloc = alloc;
        }

        @Override
        public PacketAllocator allocator() {
            return alloc;
        }

        @Override
        public void read(PacketBatch batch) {
            if (target != null) {
                target.write(batch);
            } else {
                batch.releaseAll();
            }
        }

        @Override
        public void stateChanged(DeviceState state, String reason) {
        }
    }

    private static TunDevice open(Netns ns, Map<String, Object> props, DeviceListener l) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("netns", ns.name);
        p.put("service.pid", TunDevice.PID + "~bench");
        TunDevice d = new TunDevice(new IpCommandConfigurator());
        d.activate(new RecordingPublisher(), p);
        d.start(l);
        return d;
    }

    private static long c(TunDevice d, String name) {
        return d.counters().get(name);
    }

    private static void row(String scenario, int q, boolean offload, double secs, long rp, long rb, long wp, long wb, long batches, String iperf,
                            long[] s0, long[] s1) {
        long pkts = Math.max(1, rp + wp);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.0f | %.2f | %.0f | %.2f | %s | %.2f | %.2f | %.2f | %s | %.2f |%n", scenario, q, offload ? "on" : "off",
                rp / secs / 1e3, rb * 8 / secs / 1e9, wp / secs / 1e3, wb * 8 / secs / 1e9, iperf,
                (s1[1] - s0[1]) / secs / 1e9, (s1[1] - s0[1]) / 1e3 / pkts, (rb + wb) * 8.0 / Math.max(1, s1[1] - s0[1]), batches > 0 ? String.format(Locale.ROOT, "%.1f", (double) rp / batches) : "-",
                (double) (s1[0] - s0[0]) / pkts);
    }

    static void read(int queues, boolean offload, int seconds) throws Exception {
        try (Netns ns = Netns.create()) {
            TestPacketPool alloc = offload ? TestAllocator.gso() : TestAllocator.small();
            Sink sink = new Sink(alloc);
            TunDevice d = open(ns, Map.of("name", "tbbr", "queues", queues, "offload", offload, "addresses", "10.220.0.1/24",
                    "txqueuelen", 5000), sink);
            try {
                int senders = 2;
                List<DatagramChannel> ch = ns.call(() -> {
                    List<DatagramChannel> l = new ArrayList<>();
                    for (int i = 0; i < senders * 4; i++) {
                        DatagramChannel c = DatagramChannel.open();
                        c.bind(new InetSocketAddress("10.220.0.1", 0));
                        c.connect(new InetSocketAddress("10.220.0.2", 30000 + i));
                        l.add(c);
                    }
                    return l;
                });
                AtomicBoolean run = new AtomicBoolean(true);
                List<Thread> ts = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    int first = s * 4;
                    Thread t = new Thread(() -> {
                        ByteBuffer b = ByteBuffer.allocateDirect(PAYLOAD);
                        int i = 0;
                        while (run.get()) {
                            b.clear();
                            try {
                                ch.get(first + (i++ & 3)).write(b);
                            } catch (Exception e) {
                                // kernel queue full: go on
                            }
                        }
                    }, "bench-sender-" + s);
                    t.start();
                    ts.add(t);
                }
                Thread.sleep(500);
                long rp = c(d, "read.packets");
                long rb = c(d, "read.bytes");
                long rbat = c(d, "read.batches");
                long[] s0 = threadStats("tunnelbus-tbbr-q", null);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double secs = (System.nanoTime() - t0) / 1e9;
                long[] s1 = threadStats("tunnelbus-tbbr-q", null);
                rp = c(d, "read.packets") - rp;
                rb = c(d, "read.bytes") - rb;
                rbat = c(d, "read.batches") - rbat;
                run.set(false);
                for (Thread t : ts) {
                    t.join(2000);
                }
                for (DatagramChannel x : ch) {
                    x.close();
                }
                row("read (UDP 1400 B from 2 sender threads)", queues, offload, secs, rp, rb, 0, 0, rbat, "-", s0, s1);
            } finally {
                d.deactivate();
            }
        }
    }

    static void write(int queues, boolean offload, int seconds) throws Exception {
        try (Netns ns = Netns.create()) {
            TestPacketPool alloc = offload ? TestAllocator.gso() : TestAllocator.small();
            Sink sink = new Sink(alloc);
            TunDevice d = open(ns, Map.of("name", "tbbw", "queues", queues, "offload", offload, "addresses", "10.221.0.1/24"), sink);
            DatagramChannel rx = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("10.221.0.1", 9)));
            try {
                // fill every pooled buffer once with a UDP/IPv4 packet 10.221.0.2:7 -> 10.221.0.1:9
                List<Packet> all = new ArrayList<>();
                for (Packet p; (p = alloc.allocate()) != null; ) {
                    udp(p.buffer(), p.offset(), PAYLOAD);
                    all.add(p);
                }
                int len = 28 + PAYLOAD;
                all.forEach(Packet::release);
                AtomicBoolean run = new AtomicBoolean(true);
                Thread writer = new Thread(() -> {
                    PacketBatch batch = new PacketBatch(64);
                    int flow = 0;
                    try {
                    while (run.get()) {
                        while (!batch.isFull()) {
                            Packet p = alloc.allocate();
                            if (p == null) {
                                break;
                            }
                            p.setLength(len);
                            p.flow(flow++);
                            batch.add(p);
                        }
                        d.write(batch);
                    }
                    } catch (Throwable t) {
                        t.printStackTrace();
                    }
                }, "tunnelbus-tbbw-writer");
                writer.start();
                Thread.sleep(500);
                long wp = c(d, "write.packets");
                long wb = c(d, "write.bytes");
                long[] s0 = threadStats("tunnelbus-tbbw-", writer);
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double secs = (System.nanoTime() - t0) / 1e9;
                long[] s1 = threadStats("tunnelbus-tbbw-", writer);
                wp = c(d, "write.packets") - wp;
                wb = c(d, "write.bytes") - wb;
                run.set(false);
                writer.join(2000);
                row("write (UDP 1400 B, batches of 64, 1 thread)", queues, offload, secs, 0, 0, wp, wb, 0, "-", s0, s1);
            } finally {
                rx.close();
                d.deactivate();
            }
        }
    }

    static void tunnel(int queues, boolean offload, int seconds) throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Sink sa = new Sink(offload ? TestAllocator.gso() : TestAllocator.small());
            Sink sb = new Sink(offload ? TestAllocator.gso() : TestAllocator.small());
            TunDevice da = open(a, Map.of("name", "tbta", "queues", queues, "offload", offload, "addresses", "10.222.0.1/24"), sa);
            TunDevice db = open(b, Map.of("name", "tbtb", "queues", queues, "offload", offload, "addresses", "10.222.0.2/24"), sb);
            sa.target = db;
            sb.target = da;
            try {
                b.start("iperf3", "-s", "-1", "-B", "10.222.0.2");
                for (int i = 0; i < 50 && !b.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport", "= :5201").output().contains("5201"); i++) {
                    Thread.sleep(100);
                }
                long rp = c(da, "read.packets") + c(db, "read.packets");
                long rb = c(da, "read.bytes") + c(db, "read.bytes");
                long wp = c(da, "write.packets") + c(db, "write.packets");
                long wb = c(da, "write.bytes") + c(db, "write.bytes");
                long bat = c(da, "read.batches") + c(db, "read.batches");
                long[] s0 = threadStats("tunnelbus-tbt", null);
                long t0 = System.nanoTime();
                Netns.Result r = a.exec(Duration.ofSeconds(seconds + 30L), "iperf3", "-c", "10.222.0.2", "-t", Integer.toString(seconds), "-P",
                        Integer.toString(queues), "-f", "g");
                double secs = (System.nanoTime() - t0) / 1e9;
                long[] s1 = threadStats("tunnelbus-tbt", null);
                rp = c(da, "read.packets") + c(db, "read.packets") - rp;
                rb = c(da, "read.bytes") + c(db, "read.bytes") - rb;
                wp = c(da, "write.packets") + c(db, "write.packets") - wp;
                wb = c(da, "write.bytes") + c(db, "write.bytes") - wb;
                bat = c(da, "read.batches") + c(db, "read.batches") - bat;
                Matcher m = Pattern.compile("([0-9.]+) Gbits/sec\\s.*receiver").matcher(r.output());
                String gbit = "?";
                while (m.find()) {
                    gbit = m.group(1);
                }
                row("tunnel (iperf3 TCP x" + queues + " through 2 bridged devices)", queues, offload, secs, rp, rb, wp, wb, bat, gbit, s0, s1);
            } finally {
                da.deactivate();
                db.deactivate();
            }
        }
    }

    /** Writes an IPv4/UDP packet 10.221.0.2:7 -> 10.221.0.1:9 with {@code payload} zero bytes at {@code at}. */
    private static void udp(ByteBuffer b, int at, int payload) {
        int total = 28 + payload;
        for (int i = 0; i < total; i++) {
            b.put(at + i, (byte) 0);
        }
        b.put(at, (byte) 0x45);
        b.putShort(at + 2, (short) total);
        b.put(at + 8, (byte) 64);
        b.put(at + 9, (byte) 17);
        b.put(at + 12, (byte) 10).put(at + 13, (byte) 221).put(at + 14, (byte) 0).put(at + 15, (byte) 2);
        b.put(at + 16, (byte) 10).put(at + 17, (byte) 221).put(at + 18, (byte) 0).put(at + 19, (byte) 1);
        b.putShort(at + 10, (short) Responder.checksum(b, at, 20, 0));
        b.putShort(at + 20, (short) 7);
        b.putShort(at + 22, (short) 9);
        b.putShort(at + 24, (short) (8 + payload));
        // UDP checksum 0: none (allowed for IPv4)
    }
}
