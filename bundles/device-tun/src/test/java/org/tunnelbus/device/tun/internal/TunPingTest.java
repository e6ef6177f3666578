package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceMode;

/** TUN: the kernel pings an address routed into the device; the test stage answers; ping succeeds. */
class TunPingTest extends KernelTestSupport {

    @Test
    void ipv4EchoIsReadAnsweredAndWritten() {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        TunDevice d = device(ns, props("name", "tbt0", "mode", "tun", "addresses", new String[] {"10.200.0.1/24"}), h);
        assertEquals(DeviceMode.TUN, d.info().mode());
        assertEquals("tbt0", d.info().name());

        ping(ns, "10.200.0.2");

        assertTrue(counter(d, "read.packets") >= 3, d.counters().toString());
        assertTrue(counter(d, "write.packets") >= 3, d.counters().toString());
        assertEquals(0, d.rawCounters().drops(DeviceCounters.Drop.TRUNCATED) + d.rawCounters().drops(DeviceCounters.Drop.INVALID));
        assertTrue(h.errors.isEmpty(), h.errors.toString());
    }

    @Test
    void ipv6EchoIsReadAnsweredAndWritten() {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        TunDevice d = device(ns, props("name", "tbt6", "addresses", new String[] {"10.200.1.1/24", "fd00:200::1/64"}), h);

        ping(ns, "-6", "fd00:200::2");

        assertTrue(counter(d, "write.packets") >= 3, d.counters().toString());
    }

    @Test
    void routedPrefixReachesTheDeviceAndIsRemovedWithIt() {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        TunDevice d = device(ns, props("name", "tbr0", "addresses", "10.200.2.1/24", "routes", new String[] {"10.99.0.0/16", "fd00:99::/48"}), h);
        assertTrue(ns.ip("-4", "route", "show", "10.99.0.0/16").output().contains("dev tbr0"));

        ping(ns, "10.99.1.2");

        d.deactivate();
        assertEquals(-1, ifindex(ns, "tbr0"), "interface removed with the device");
        assertEquals("", ns.ip("-4", "route", "show", "10.99.0.0/16").output().strip(), "route removed with the device");
        assertEquals("", ns.ip("-6", "route", "show", "fd00:99::/48").output().strip(), "route removed with the device");
    }
}
