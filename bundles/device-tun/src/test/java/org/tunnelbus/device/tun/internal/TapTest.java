package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceMode;
import org.tunnelbus.api.packet.Packet;

/** TAP: the kernel's ARP request is read and answered, the neighbour table shows the peer, then ICMP. */
class TapTest extends KernelTestSupport {

    @Test
    void arpRequestIsAnsweredAndThenPingWorks() {
        Netns ns = netns();
        AtomicInteger arpRequests = new AtomicInteger();
        Harness h = new Harness(TestAllocator.small(), Responder::answerEthernet, p -> {
            ByteBuffer b = p.buffer();
            if (p.length() >= 42 && (b.getShort(p.offset() + 12) & 0xffff) == 0x0806 && b.getShort(p.offset() + 20) == 1) {
                arpRequests.incrementAndGet();
            }
        });
        TunDevice d = device(ns, props("name", "tbtap0", "mode", "TAP", "mac", "02:00:00:00:00:01", "addresses", "10.201.0.1/24"), h);
        assertEquals(DeviceMode.TAP, d.info().mode());
        assertTrue(ns.ip("link", "show", "dev", "tbtap0").output().contains("link/ether 02:00:00:00:00:01"));

        // one ping makes the kernel resolve the peer first
        Netns.Result first = ns.exec(java.time.Duration.ofSeconds(10), "ping", "-c", "1", "-W", "3", "10.201.0.2");
        assertTrue(arpRequests.get() >= 1, "ARP request read from the device: " + first.output());
        String neigh = ns.ip("neigh", "show", "10.201.0.2", "dev", "tbtap0").output();
        assertTrue(neigh.contains("lladdr 02:00:00:00:00:02"), "neighbour entry from our ARP reply: " + neigh);

        ping(ns, "10.201.0.2");
        assertTrue(counter(d, "write.packets") >= 4, d.counters().toString());
    }

    static boolean isArp(Packet p) {
        return (p.buffer().getShort(p.offset() + 12) & 0xffff) == 0x0806;
    }
}
