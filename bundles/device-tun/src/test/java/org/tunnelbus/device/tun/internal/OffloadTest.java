package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;

/**
 * IFF_VNET_HDR + TSO: a TCP bulk transfer (iperf3) between two namespaces whose only link is a pair of
 * offload devices bridged by the test (what A reads is written to B and back, headers included) yields
 * reads larger than the MTU with valid virtio-net headers.
 */
class OffloadTest extends KernelTestSupport {

    @Override
    String[] tools() {
        return new String[] {"ip", "ping", "iperf3"};
    }

    @Test
    void tcpBulkTransferIsReadAsGsoSuperPacketsWithValidHeaders() throws Exception {
        Netns a = netns();
        Netns b = netns();
        AtomicInteger maxRead = new AtomicInteger();
        AtomicLong gsoReads = new AtomicLong();
        AtomicReference<String> bad = new AtomicReference<>();
        AtomicReference<String> sample = new AtomicReference<>();
        Harness ha = new Harness(TestAllocator.gso(), p -> true, p -> inspect(p, maxRead, gsoReads, bad, sample));
        Harness hb = new Harness(TestAllocator.gso(), p -> true, null);
        TunDevice da = device(a, props("name", "tboffa", "offload", true, "addresses", "10.210.0.1/24"), null);
        TunDevice db = device(b, props("name", "tboffb", "offload", true, "addresses", "10.210.0.2/24"), null);
        ha.target = db;
        hb.target = da;
        da.start(ha);
        db.start(hb);
        assertTrue(da.info().offload());
        String features = a.exec(Duration.ofSeconds(5), "ethtool", "-k", "tboffa").output();
        System.out.println("tboffa offload features:\n" + features.lines().filter(l -> l.contains("segmentation") || l.contains("checksum")).reduce("", (x, y) -> x + y + "\n"));

        ping(a, "10.210.0.2"); // small packets cross the bridge both ways, with GSO_NONE headers

        Process server = b.start("iperf3", "-s", "-1", "-B", "10.210.0.2");
        awaitListening(b, 5201);
        Netns.Result r = a.exec(Duration.ofSeconds(30), "iperf3", "-c", "10.210.0.2", "-t", "2", "-f", "g");
        System.out.println(r.output());
        assertEquals(0, r.exit(), r.output());
        server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);

        assertTrue(bad.get() == null, bad.get());
        assertTrue(maxRead.get() - VirtioNetHeader.SIZE > 1500, "a read larger than the MTU: " + maxRead.get());
        assertTrue(gsoReads.get() > 0, "GSO reads: " + gsoReads.get());
        assertTrue(counter(da, "read.gso") > 0, da.counters().toString());
        System.out.println("largest read " + maxRead.get() + " bytes, " + gsoReads.get() + " GSO reads; e.g. " + sample.get());
        System.out.println(da.counters());
    }

    @Test
    void segmentedTrafficIsCoalescedIntoSuperPacketsOnWrite() throws Exception {
        Netns a = netns();
        Netns b = netns();
        SegmentingBridge ha = new SegmentingBridge(TestAllocator.gso());
        SegmentingBridge hb = new SegmentingBridge(TestAllocator.gso());
        TunDevice da = device(a, props("name", "tbsega", "offload", true, "addresses", "10.211.0.1/24"), null);
        TunDevice db = device(b, props("name", "tbsegb", "offload", true, "addresses", "10.211.0.2/24"), null);
        ha.target = db;
        hb.target = da;
        da.start(ha);
        db.start(hb);

        ping(a, "10.211.0.2");
        Process server = b.start("iperf3", "-s", "-1", "-B", "10.211.0.2");
        awaitListening(b, 5201);
        Netns.Result r = a.exec(Duration.ofSeconds(30), "iperf3", "-c", "10.211.0.2", "-t", "2", "-f", "g");
        System.out.println(r.output());
        assertEquals(0, r.exit(), r.output());
        server.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);

        long segments = counter(db, "write.packets");
        long superPackets = counter(db, "write.gso");
        System.out.println("B wrote " + segments + " packets in " + superPackets + " coalesced super-packets: " + db.counters());
        assertTrue(counter(da, "read.gso") > 0, "A read TSO super-packets: " + da.counters());
        assertTrue(superPackets > 0, "B coalesced: " + db.counters());
        assertTrue(segments > 4 * superPackets, "several segments per super-packet: " + db.counters());
        assertEquals(0, db.rawCounters().drops(DeviceCounters.Drop.INVALID) + db.rawCounters().drops(DeviceCounters.Drop.WRITE_ERROR));
    }

    /** Checks each read's virtio-net header against the IPv4/TCP packet behind it. */
    private static void inspect(Packet p, AtomicInteger maxRead, AtomicLong gsoReads, AtomicReference<String> bad, AtomicReference<String> sample) {
        ByteBuffer buf = p.buffer();
        int h = p.offset();
        int len = p.length();
        maxRead.accumulateAndGet(len, Math::max);
        int ip = h + VirtioNetHeader.SIZE;
        if (len < VirtioNetHeader.SIZE + 20 || (buf.get(ip) & 0xf0) != 0x40) {
            return; // IPv6 noise
        }
        int ihl = (buf.get(ip) & 0x0f) * 4;
        int totalLength = buf.getShort(ip + 2) & 0xffff;
        int proto = buf.get(ip + 9);
        int type = VirtioNetHeader.gsoType(buf, h);
        String hdr = VirtioNetHeader.describe(buf, h) + " len " + len;
        if (totalLength != len - VirtioNetHeader.SIZE) {
            bad.compareAndSet(null, "IPv4 total length " + totalLength + " != read " + (len - VirtioNetHeader.SIZE) + ": " + hdr);
        }
        if (type == VirtioNetHeader.GSO_NONE) {
            if (len - VirtioNetHeader.SIZE > 1500) {
                bad.compareAndSet(null, "a packet larger than the MTU without GSO: " + hdr);
            }
            return;
        }
        gsoReads.incrementAndGet();
        sample.compareAndSet(null, hdr);
        int tcpHeader = ((buf.get(ip + ihl + 12) & 0xf0) >>> 4) * 4;
        int payload = len - VirtioNetHeader.SIZE - ihl - tcpHeader;
        int gsoSize = VirtioNetHeader.gsoSize(buf, h);
        if (proto != 6
                || (type & ~VirtioNetHeader.GSO_ECN) != VirtioNetHeader.GSO_TCPV4
                || (VirtioNetHeader.flags(buf, h) & VirtioNetHeader.F_NEEDS_CSUM) == 0
                || VirtioNetHeader.csumStart(buf, h) != ihl
                || VirtioNetHeader.csumOffset(buf, h) != 16
                || gsoSize <= 0 || gsoSize > 1500 - ihl - tcpHeader
                || payload <= gsoSize
                || VirtioNetHeader.hdrLen(buf, h) < ihl + tcpHeader - 12 && VirtioNetHeader.hdrLen(buf, h) != 0) {
            bad.compareAndSet(null, "invalid GSO header for a TCP/IPv4 super-packet (payload " + payload + "): " + hdr);
        }
    }

    private static void awaitListening(Netns ns, int port) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (ns.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport", "= :" + port).output().contains(":" + port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing listens on port " + port + " in " + ns.name);
    }
}
