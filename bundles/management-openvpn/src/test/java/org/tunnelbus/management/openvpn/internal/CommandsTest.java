package org.tunnelbus.management.openvpn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.testsupport.TestSession;

/** Answers word for word as a stock 2.6 server gives them (captured from openvpn 2.6.14 --management). */
class CommandsTest {
    private final FakeDaemon daemon = new FakeDaemon();
    private final Commands commands = new Commands(daemon);
    private final ConnectionState conn = new ConnectionState();

    private TestSession alice() {
        TestSession s = new TestSession("alice", 0);
        s.remote(new InetSocketAddress("10.202.0.2", 56345));
        s.set(TunnelConfig.KEY, new TunnelConfig("10.9.0.2/24", "10.9.0.1", "subnet", "AES-256-GCM", 10, 60, List.of(),
                List.of()));
        s.countIn(2353);
        s.countOut(2242);
        daemon.sessions.add(s);
        return s;
    }

    private List<String> run(String line) {
        return commands.run(line, conn);
    }

    @Test
    void oneLineAnswersAreStocks() {
        alice();
        assertEquals(List.of("SUCCESS: nclients=1,bytesin=2353,bytesout=2242"), run("load-stats"));
        assertEquals(List.of("SUCCESS: bytecount interval changed"), run("bytecount 1"));
        assertEquals(1, conn.bytecount());
        assertEquals(List.of("SUCCESS: hold=0"), run("hold"));
        assertEquals(List.of("SUCCESS: hold flag set to ON"), run("hold on"));
        assertEquals(List.of("SUCCESS: hold release succeeded"), run("hold release"));
        assertEquals(List.of("ERROR: signal 'SIGFOO' is not a known signal type"), run("signal SIGFOO"));
        assertEquals(List.of("SUCCESS: signal SIGUSR2 thrown"), run("signal SIGUSR2"));
        assertEquals(List.of("ERROR: common name 'nobody' not found"), run("kill nobody"));
        assertEquals(List.of("ERROR: client at address 1.2.3.4:5 not found"), run("kill 1.2.3.4:5"));
        assertEquals(List.of("ERROR: client-kill command failed"), run("client-kill 99999"));
        assertEquals(List.of("ERROR: unknown command, enter 'help' for more options"), run("foo"));
        assertEquals(List.of("SUCCESS: pid=4242"), run("pid"));
        assertEquals(List.of("ERROR: bad status format version number"), run("status 4"));
        assertEquals(List.of("ERROR: the 'kill' command requires 1 parameter"), run("kill"));
        assertEquals(List.of("ERROR: the 'log' command requires at least 1 parameter"), run("log"));
        assertEquals(List.of("OpenVPN Version: " + daemon.title(), "Management Version: 5", "END"), run("version"));
        assertEquals(List.of(), run("version 3"), "setting the client's version is silent, as stock");
        assertEquals(List.of("ERROR: The 'client-auth' command is not supported by the current daemon mode"),
                run("client-auth 1 2"));
    }

    @Test
    void killByCommonNameOrAddressEndsSilentlyAndClientKillTellsTheClient() {
        TestSession a = alice();
        assertEquals(List.of("SUCCESS: 1 client(s) at address 10.202.0.2:56345 killed"), run("kill 10.202.0.2:56345"));
        assertEquals(List.of("alice/null"), daemon.ended, "kill: no notice, as stock's SIGTERM of the instance");
        daemon.ended.clear();
        TestSession b = alice();
        assertEquals(List.of("SUCCESS: common name 'alice' found, 1 client(s) killed"), run("kill alice"),
                "the session ending already (a) is not counted twice");
        assertEquals(List.of("alice/null"), daemon.ended);
        daemon.ended.clear();
        TestSession c = alice();
        assertEquals(List.of("SUCCESS: client-kill command succeeded"), run("client-kill " + c.id()));
        assertEquals(List.of("alice/" + PeerControl.Notice.RESTART), daemon.ended, "client-kill: RESTART by default");
        TestSession d = alice();
        run("client-kill " + d.id() + " HALT");
        assertEquals("alice/HALT", daemon.ended.get(1));
        assertTrue(a.id() != b.id());
    }

    @Test
    void historiesPrintOldestFirstAndSwitchRealtimeOnInStocksOrder() {
        daemon.log.add(new History.Entry(100, "I,one"));
        daemon.log.add(new History.Entry(101, "W,two"));
        daemon.log.add(new History.Entry(102, "D,three"));
        assertEquals(List.of("102,D,three", "1796663765,D,MANAGEMENT: CMD 'log 2'", "END"), run("log 2"),
                "each command is logged first, as stock");
        List<String> all = run("log on all");
        assertEquals(List.of("SUCCESS: real-time log notification set to ON", "100,I,one", "101,W,two", "102,D,three"),
                all.subList(0, 4));
        assertEquals("END", all.get(all.size() - 1));
        assertTrue(conn.log());
        assertEquals(List.of("SUCCESS: real-time log notification set to OFF"), run("log off"));
        assertEquals(List.of("ERROR: log parameter must be 'on' or 'off' or some number n or 'all'"), run("log x"));
        daemon.state.add(new History.Entry(100, "CONNECTING,,,,,,,"));
        daemon.state.add(new History.Entry(100, "CONNECTED,SUCCESS,10.9.0.1,,,,,"));
        assertEquals(List.of("100,CONNECTED,SUCCESS,10.9.0.1,,,,,", "END"), run("state"));
        assertEquals(List.of("100,CONNECTING,,,,,,,", "100,CONNECTED,SUCCESS,10.9.0.1,,,,,", "END"), run("state all"));
        assertEquals(List.of("END"), run("echo all"));
    }

    @Test
    void helpListsStocksCommandsInItsLayout() {
        List<String> help = run("help");
        assertEquals("Management Interface for " + daemon.title(), help.get(0));
        assertEquals("Commands:", help.get(1));
        assertEquals("END", help.get(help.size() - 1));
        assertTrue(help.stream().anyMatch(l -> l.startsWith("client-kill CID [M]    : ")), help.toString());
        assertTrue(help.stream().anyMatch(l -> l.startsWith("status [n]             : ")), help.toString());
    }

    @Test
    void theLexerTakesQuotesAndEscapesAsStock() {
        assertEquals(List.of("kill", "my client"), CommandLine.split("kill \"my client\""));
        assertEquals(List.of("kill", "my client"), CommandLine.split("kill my\\ client"));
        assertEquals(List.of("password", "Auth", "a\"b\\c"), CommandLine.split("password 'Auth' \"a\\\"b\\\\c\""));
        assertEquals(List.of("x", "a\\b"), CommandLine.split("x 'a\\b'"));
        assertEquals(List.of(), CommandLine.split("   "));
    }
}
