package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceState;

/** Stop while a read is blocked; the interface deleted underneath; recovery; live reconfiguration. */
class LifecycleTest extends KernelTestSupport {

    @Test
    void deactivateDuringBlockedReadReturnsWithinOneSecondAndRemovesTheInterface() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> false, null);
        TunDevice d = device(ns, props("name", "tbstop0", "queues", 2, "addresses", "10.203.0.1/24", "routes", "10.98.0.0/16"), h);
        Thread.sleep(300); // both readers are now blocked in poll(2): nothing is routed into the device
        assertTrue(ifindex(ns, "tbstop0") > 0);
        assertEquals(2, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tunnelbus-tbstop0-q")).count());

        long t0 = System.nanoTime();
        d.deactivate();
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertTrue(ms < 1000, "deactivate took " + ms + " ms");
        assertEquals(-1, ifindex(ns, "tbstop0"), "interface gone");
        assertEquals("", ns.ip("route", "show", "10.98.0.0/16").output().strip(), "route gone");
        assertNotNull(h.awaitState(DeviceState.CLOSED, 1000), "parent told CLOSED: " + h.states);
        assertEquals(0, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tunnelbus-tbstop0-q") && t.isAlive()).count());
        assertEquals(0, h.allocator.outstanding(), "every pooled packet given back");
        assertEquals(DeviceState.CLOSED, d.state());
    }

    @Test
    void stopDuringBlockedReadReturnsWithinOneSecondAndStartAgainReads() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        TunDevice d = device(ns, props("name", "tbstop1", "addresses", "10.203.1.1/24"), h);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        d.stop();
        d.stop(); // idempotent
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "stop took " + ms + " ms");
        assertTrue(ifindex(ns, "tbstop1") > 0, "stop keeps the interface");
        d.start(h);
        ping(ns, "10.203.1.2");
    }

    @Test
    void deletedUnderneathIsReportedCountedAndRecoveredByReapplyingTheConfiguration() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        Map<String, Object> cfg = props("name", "tblost0", "queues", 2, "addresses", "10.204.0.1/24");
        TunDevice d = device(ns, cfg, h);
        ping(ns, "10.204.0.2");

        ns.ip("link", "del", "dev", "tblost0").check("ip link del");

        String lost = h.awaitState(DeviceState.LOST, 3000);
        assertNotNull(lost, "LOST reported: " + h.states);
        assertTrue(lost.contains("tblost0") && lost.contains("deleted underneath"), lost);
        assertEquals(DeviceState.LOST, d.state());
        assertEquals(1, counter(d, "lost"));
        assertEquals(-1, ifindex(ns, "tblost0"));

        cfg.put("netns", ns.name);
        d.modified(cfg); // the same configuration applied again
        assertNotNull(h.awaitState(DeviceState.UP, 3000), "UP reported: " + h.states);
        assertEquals(DeviceState.UP, d.state());
        assertEquals(1, counter(d, "recovered"));
        assertTrue(ifindex(ns, "tblost0") > 0);
        ping(ns, "10.204.0.2");
    }

    @Test
    void mtuAddressesAndRoutesChangeLiveWithoutLosingTheDevice() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        Map<String, Object> cfg = props("name", "tblive0", "mtu", 1500, "txqueuelen", 500, "addresses", "10.205.0.1/24", "netns", "");
        TunDevice d = device(ns, cfg, h);
        cfg.put("netns", ns.name);
        int index = ifindex(ns, "tblive0");

        cfg.put("mtu", 1400);
        cfg.put("txqueuelen", 2000);
        cfg.put("addresses", new String[] {"10.206.0.1/24", "fd00:206::1/64"});
        cfg.put("routes", new String[] {"10.97.0.0/16"});
        d.modified(cfg);

        assertEquals(index, ifindex(ns, "tblive0"), "same interface");
        String link = ns.ip("link", "show", "dev", "tblive0").output();
        assertTrue(link.contains("mtu 1400") && link.contains("qlen 2000"), link);
        String addrs = ns.ip("addr", "show", "dev", "tblive0").output();
        assertTrue(addrs.contains("10.206.0.1/24") && addrs.contains("fd00:206::1/64"), addrs);
        assertFalse(addrs.contains("10.205.0.1"), "old address removed: " + addrs);
        assertEquals(1400, d.info().mtu());
        ping(ns, "10.97.3.4");
        ping(ns, "-6", "fd00:206::2");

        cfg.put("routes", new String[0]);
        d.modified(cfg);
        assertEquals("", ns.ip("route", "show", "10.97.0.0/16").output().strip(), "route removed live");
        assertEquals(index, ifindex(ns, "tblive0"));
        assertNotEquals(DeviceState.LOST, d.state());
    }

    @Test
    void queueCountChangeReopensAndKeepsServing() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        Map<String, Object> cfg = props("name", "tbre0", "addresses", "10.207.0.1/24");
        TunDevice d = device(ns, cfg, h);
        cfg.put("netns", ns.name);
        cfg.put("queues", 2);
        d.modified(cfg);
        assertEquals(2, d.info().queues());
        ping(ns, "10.207.0.2");
    }

    @Test
    void renameReopensAndRepublishesTheService() throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        Map<String, Object> cfg = props("name", "tbn%d", "addresses", "10.209.0.1/24", "netns", ns.name);
        RecordingPublisher pub = new RecordingPublisher();
        TunDevice d = new TunDevice(new IpCommandConfigurator());
        try {
            d.activate(pub, cfg);
            d.start(h);
            h.target = d;
            assertEquals("tbn0", d.info().name(), "the kernel resolved %d");
            assertEquals("tbn0", pub.properties.get("tunnelbus.device.name"));

            cfg.put("name", "tbrenamed");
            d.modified(cfg);

            assertEquals(-1, ifindex(ns, "tbn0"));
            assertTrue(ifindex(ns, "tbrenamed") > 0);
            assertEquals("tbrenamed", pub.properties.get("tunnelbus.device.name"));
            assertTrue(pub.registered);
            assertEquals(List.of("register", "unregister", "register"), pub.events.stream().map(e -> e.split(" ")[0]).toList());
            ping(ns, "10.209.0.2"); // nobody stopped the device while it was unregistered: it kept its parent
            d.start(h); // what the core's binder does for the newly registered device
            ping(ns, "10.209.0.2");
        } finally {
            d.deactivate();
        }
        assertFalse(pub.registered);
    }
}
