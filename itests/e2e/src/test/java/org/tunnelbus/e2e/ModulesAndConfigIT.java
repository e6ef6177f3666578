package org.tunnelbus.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tunnelbus.e2e.harness.Cmd;
import org.tunnelbus.e2e.harness.Console;
import org.tunnelbus.e2e.harness.Lab;
import org.tunnelbus.e2e.harness.Prerequisites;
import org.tunnelbus.e2e.harness.TunnelbusServer;

/**
 * Issue 12, configuration and modules that stay consistent, on a copy of the distribution (so that the test can
 * turn it into a newer one): a module uploaded through the web console and one dropped into {@code HOME/modules}
 * run, are listed by {@code tunnelbus modules} with the slot they serve, and are still there after a restart; a
 * distribution that later ships the uploaded module starts cleanly (before: "Bundle symbolic name and version are
 * not unique"); a console form edit lands in its file; a configuration file with a typo, a broken line and a
 * module that is not installed gets one warning each, naming file, line and the valid choices.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class ModulesAndConfigIT {
    static final int CONSOLE_PORT = 9784;
    static final Path SWAP_A = Path.of("../stages/swap-a/target/org.tunnelbus.itest.stage.swap.a-0.1.0-SNAPSHOT.jar");
    static final Path SWAP_B = Path.of("../stages/swap-b/target/org.tunnelbus.itest.stage.swap.b-0.1.0-SNAPSHOT.jar");

    static Lab lab;
    static Path dist;
    static TunnelbusServer server;
    static Console console;

    @BeforeAll
    static void lab() throws Exception {
        Path original = Prerequisites.requireDistribution();
        Prerequisites.requireTools("curl");
        lab = new Lab("modules");
        dist = lab.file("dist");
        Cmd.run(Duration.ofSeconds(60), "cp", "-a", original.toString(), dist.toString()).check();
        server = startServer();
        console = new Console(lab.server(), CONSOLE_PORT, server.home());
    }

    private static TunnelbusServer startServer() {
        TunnelbusServer s = TunnelbusServer.start(lab.cleanup(), lab.server(), dist, lab.file("home"), CONSOLE_PORT,
                lab.file("tunnelbus-" + System.nanoTime() + ".log"));
        s.waitListening(1194, Duration.ofSeconds(120));
        s.process().waitForLine(Pattern.compile("Web console: http"), Duration.ofSeconds(60));
        return s;
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void test1_modulesInstalledAtRunTimeAreListedWithTheSlotTheyServe() throws Exception {
        console.installBundle(SWAP_A.toAbsolutePath());
        Files.copy(SWAP_B, server.home().resolve("modules").resolve(SWAP_B.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String modules = waitForModules(m -> m.contains("org.tunnelbus.itest.stage.swap.a") && m.contains("org.tunnelbus.itest.stage.swap.b"));
        assertTrue(line(modules, "swap.a").matches(".*ACTIVE\\s+web console upload\\s+stage itest-swap"), modules);
        assertTrue(line(modules, "swap.b").matches(".*ACTIVE\\s+HOME/modules\\s+stage itest-swap"), modules);
        assertTrue(line(modules, "org.tunnelbus.tls.jsse").contains("distribution") && line(modules, "org.tunnelbus.tls.jsse")
                .contains("tls jsse"), modules);
    }

    @Test
    void test2_bothSurviveARestartAndADistributionThatShipsTheUploadedModuleStartsCleanly() throws Exception {
        server.close();
        server = startServer();
        String modules = waitForModules(m -> m.contains("swap.a") && m.contains("swap.b"));
        assertTrue(line(modules, "swap.a").contains("ACTIVE"), modules);
        assertTrue(line(modules, "swap.b").contains("ACTIVE"), modules);

        // the next distribution ships the module that was uploaded: same name, same version
        Files.copy(SWAP_A, dist.resolve("bundles").resolve(SWAP_A.getFileName()));
        Path run = dist.resolve("etc/server.bndrun");
        String bndrun = Files.readString(run).replace("-runbundles: \\\n",
                "-runbundles: \\\n\torg.tunnelbus.itest.stage.swap.a;version='[0.1.0,0.1.1)';startlevel=10,\\\n");
        Files.writeString(run, bndrun);
        server.close();
        server = startServer();
        assertTrue(server.process().grep(Pattern.compile(".*not unique.*")).isEmpty(), "no 'not unique' failure");
        assertFalse(server.process().grep(Pattern.compile(".*Keeping org.tunnelbus.itest.stage.swap.a .* installed at run time.*"))
                .isEmpty(), "the launcher keeps the uploaded module");
        modules = waitForModules(m -> m.contains("swap.a"));
        assertEquals(1, modules.lines().filter(l -> l.contains("swap.a")).count(), modules);
        assertTrue(line(modules, "swap.a").contains("ACTIVE"), modules);
        assertEquals(List.of(), server.errors(), "ERROR lines after the restarts");
    }

    @Test
    void test3_aConsoleFormEditIsWrittenToItsFileWhichStaysTheSourceOfTruth() throws Exception {
        console.post("/configMgr/org.tunnelbus.handshake", "apply=true", "action=ajaxConfigManager",
                "propertylist=server,topology,data.ciphers,keepalive.ping,keepalive.restart",
                "server=10.8.0.0/24", "topology=subnet", "data.ciphers=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305",
                "keepalive.ping=17", "keepalive.restart=120");
        Path file = server.config("org.tunnelbus.handshake.cfg");
        assertTrue(waitForFile(file, "keepalive.ping = 17"), "the console's value in " + file + ":\n" + Files.readString(file));
        assertTrue(Files.readString(file).startsWith("# What the server pushes"), "comments stay");
        String json = console.get("/configMgr/org.tunnelbus.handshake.json");
        assertTrue(waitFor(() -> console.get("/configMgr/org.tunnelbus.handshake.json").contains("felix.fileinstall.filename")),
                "the configuration keeps felix.fileinstall.filename: " + json);
        server.close();
        server = startServer();
        assertTrue(Files.readString(file).contains("keepalive.ping = 17"), "after a restart the file still says 17");
        assertTrue(console.get("/configMgr/org.tunnelbus.handshake.json").contains("\"value\":\"17\"")
                || console.get("/configMgr/org.tunnelbus.handshake.json").contains("\"value\":17"), "and so does the console");
    }

    @Test
    void test4_aFileWithATypoABrokenLineAndAMissingModuleGetsOneWarningEachWithTheChoices() {
        int mark = server.process().mark();
        server.setConfig("org.tunnelbus.core.bus.cfg", "hold.grace.msec", "2000");
        server.setConfig("org.tunnelbus.openvpn.server-default.cfg", "tls.provider", "wolfssl");
        try {
            Files.writeString(server.config("org.tunnelbus.handshake.cfg"), "tls provider jsse\n",
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String bus = server.config("org.tunnelbus.core.bus.cfg").toString();
        server.process().waitForLine(Pattern.compile(Pattern.quote(bus) + ":\\d+: unknown property 'hold.grace.msec', did you mean "
                + "'hold.grace.ms'\\? \\(valid: .*hold.grace.ms.*\\)"), Duration.ofSeconds(30), mark);
        server.process().waitForLine(Pattern.compile(Pattern.quote(server.config("org.tunnelbus.openvpn.server-default.cfg").toString())
                + ":\\d+: 'tls.provider = wolfssl' names no installed module \\(installed: bouncycastle, jsse\\)"), Duration.ofSeconds(30), mark);
        server.process().waitForLine(Pattern.compile(Pattern.quote(server.config("org.tunnelbus.handshake.cfg").toString())
                + ":\\d+: cannot read 'tls provider jsse': expected 'key = value'"), Duration.ofSeconds(30), mark);
        server.setConfig("org.tunnelbus.openvpn.server-default.cfg", "tls.provider", "bouncycastle");
    }

    private static String waitForModules(java.util.function.Predicate<String> ok) {
        long deadline = System.currentTimeMillis() + 30_000;
        String m = "";
        while (System.currentTimeMillis() < deadline) {
            m = server.modules();
            if (ok.test(m)) {
                System.out.println("[e2e] tunnelbus modules:\n" + m);
                return m;
            }
            org.tunnelbus.e2e.harness.Traffic.sleep(1000);
        }
        throw new AssertionError("tunnelbus modules never showed what was expected:\n" + m);
    }

    private static boolean waitForFile(Path file, String text) {
        return waitFor(() -> {
            try {
                return Files.readString(file).contains(text);
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) {
        return org.tunnelbus.e2e.harness.Traffic.waitFor(c, Duration.ofSeconds(15));
    }

    private static String line(String table, String contains) {
        return table.lines().filter(l -> l.contains(contains)).findFirst().orElse("");
    }
}
