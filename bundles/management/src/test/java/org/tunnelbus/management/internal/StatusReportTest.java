package org.tunnelbus.management.internal;

import org.tunnelbus.testsupport.TestSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.StageInfo;

class StatusReportTest {
    @Test
    void statusShowsWhatAnOperatorAsksFor() {
        TestSession s = new TestSession("alice");
        s.set(TunnelConfig.KEY, new TunnelConfig("10.8.0.2/24", "10.8.0.1", "subnet", "AES-256-GCM", 10, 120, List.of(), List.of()));
        s.set(org.tunnelbus.api.tls.TlsInfo.KEY, new org.tunnelbus.api.tls.TlsInfo("jsse", "TLSv1.3/TLS_AES_256_GCM_SHA384", 0));
        String out = StatusReport.sessions(List.of(s));
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("NAME"), out);
        assertTrue(lines[1].startsWith("alice"), out);
        assertTrue(lines[1].contains("10.8.0.2") && lines[1].contains("AES-256-GCM") && lines[1].contains("jsse"), out);
        assertEquals("1 session(s)", lines[2]);
    }

    @Test
    void sessionDetailsShowEveryOptionAClientReceived() {
        TestSession s = new TestSession("vpn-server");
        s.set(TunnelConfig.KEY, new TunnelConfig("10.8.0.2/24", "10.8.0.1", "subnet", "AES-256-GCM", 10, 60, List.of(),
                List.of("route-gateway 10.8.0.1", "dhcp-option DNS 10.8.0.53", "redirect-gateway def1")));
        ManagementCommands c = new ManagementCommands(new ManagementSocketTest.Registry(List.of(s)), null, () -> "");
        String out = c.run("session vpn-server");
        assertTrue(out.contains("virtual address  10.8.0.2/24"), out);
        assertTrue(out.contains("keepalive        ping 10, ping-restart 60"), out);
        assertTrue(out.contains("dhcp-option DNS 10.8.0.53") && out.contains("redirect-gateway def1"), out);
        assertEquals(out, c.run("session"), "without a name: every session");
        assertEquals("no session named 'other'\n", c.run("session other"));
    }

    @Test
    void killTellsEveryClientOfThatNameToStop() {
        TestSession a = new TestSession("alice");
        TestSession b = new TestSession("bob");
        List<String> told = new java.util.ArrayList<>();
        a.set(org.tunnelbus.api.session.PeerControl.KEY, (notice, reason) -> told.add("alice " + notice + " " + reason));
        b.set(org.tunnelbus.api.session.PeerControl.KEY, (notice, reason) -> told.add("bob " + notice));
        ManagementCommands c = new ManagementCommands(new ManagementSocketTest.Registry(List.of(a, b)), null, () -> "");
        assertEquals("killed 1 session(s) of alice\n", c.run("kill alice"));
        assertEquals(List.of("alice HALT killed by 'tunnelbus kill'"), told);
        assertEquals("ERROR no session named 'carol'\n", c.run("kill carol"));
    }

    @Test
    void chainMarksMissingProviders() {
        String out = StatusReport.chain(Direction.OUTGOING, List.of(
                new StageInfo("route", Box.ROUTE, 200, 42, "org.tunnelbus.route.ip 0.1.0"),
                new StageInfo("crypto", Box.CRYPTO, 400, -1, "")));
        assertTrue(out.contains("MISSING"), out);
        assertTrue(out.contains("org.tunnelbus.route.ip"), out);
    }

    @Test
    void unknownCommandsAreNamedAndSanitised() {
        ManagementCommands c = new ManagementCommands(null, null, () -> "");
        assertEquals("ERROR unknown command 'frob?' (try: help)\n", c.run("frob\u0007"));
        assertEquals(ManagementCommands.HELP, c.run("help"));
    }

    @Test
    void countersCommandAddsEachSourceUnderItsName() {
        PacketBus bus = (PacketBus) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PacketBus.class }, (proxy, method, args) -> method.getName().equals("counters")
                        ? Map.of("incoming.route.packets", 7L) : null);
        ManagementCommands c = new ManagementCommands(null, bus, () -> "");
        CounterSource listener = new CounterSource() {
            @Override
            public String name() {
                return "openvpn.default";
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of("transport.drop.send-buffer-full", 3L);
            }
        };
        c.add(listener);
        assertEquals("incoming.route.packets 7\nopenvpn.default.transport.drop.send-buffer-full 3\n", c.run("counters"));
        c.remove(listener);
        assertEquals("incoming.route.packets 7\n", c.run("counters"));
    }

    @Test
    void countersAreSortedOnePerLine() {
        assertEquals("a 1\nb 2\n", StatusReport.counters(Map.of("b", 2L, "a", 1L)));
    }
}
