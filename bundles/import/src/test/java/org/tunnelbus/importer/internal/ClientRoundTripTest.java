package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.openvpn.internal.client.ClientSettings;

/** A client profile imported into a fresh home: what is written, as FileInstall and the client connector read it. */
class ClientRoundTripTest {
    @TempDir
    Path dir;
    private Path home;
    private Path dist;

    @BeforeEach
    void setUp() throws Exception {
        home = dir.resolve("home");
        dist = dir.resolve("dist");
        Path defaults = Files.createDirectories(dist.resolve("config"));
        Files.writeString(defaults.resolve(Pids.CORE_BUS), "required.stages = outgoing:openvpn-seal\n");
        Files.writeString(defaults.resolve(Pids.LISTENER), "port = 1194\n");
        Files.writeString(defaults.resolve(Pids.DEVICE), "addresses = 10.8.0.1/24\n");
        Files.writeString(defaults.resolve("org.tunnelbus.pki.cfg"), "server.name = server\n");
        Path etc = Files.createDirectories(dist.resolve("etc"));
        Files.writeString(etc.resolve("client.bndrun"), "-runbundles: x\ntunnelbus.defaults: org.tunnelbus.core.*.cfg, none.cfg\n");
        Files.writeString(etc.resolve("server.bndrun"), "tunnelbus.defaults: *\n");
        System.setProperty("tunnelbus.home", home.toString()); // what the launcher sets; FileInstall substitutes it
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("tunnelbus.home");
    }

    @Test
    void aFreshHomeGetsTheClientProfileAndItsDefaultsOnlyAndTheConnectorAcceptsIt() throws Exception {
        Path ovpn = StockClientFixture.write(Files.createDirectories(dir.resolve("profiles")), "alice");
        assertEquals(ImportCommand.PARTIAL, ImportCommand.run(new String[] {ovpn.toString(), "--home", home.toString(),
            "--dist", dist.toString()}));
        try (Stream<Path> files = Files.list(home.resolve("config"))) {
            assertEquals(List.of(Pids.CORE_BUS, Pids.client("alice")),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "tunnelbus.defaults of etc/client.bndrun");
        }
        assertEquals("client\n", Files.readString(home.resolve("profile")), "the launcher runs the client profile");
        Map<String, Object> cfg = RoundTripTest.fileInstall(home.resolve("config").resolve(Pids.client("alice")));
        assertEquals(home + "/import/alice/client.key", cfg.get("key"));
        assertEquals(true, cfg.get("remote.cert.tls"));
        ClientSettings s = ClientSettings.from(cfg);
        assertEquals(List.of("vpn.example.com:1194", "vpn2.example.com:1195"), s.servers(), "both remote lines");
        assertEquals(List.of("AES-128-GCM", "AES-256-GCM"), s.ciphers());
        assertEquals("server_Xk2", s.verifyName());
        assertTrue(s.toString().contains("tls-crypt"), s.toString());
        for (String secret : List.of("client.key", "tls-crypt.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("import/alice").resolve(secret))));
        }
    }

    @Test
    void theSeededPacketBusFileIsListedAsWritten() throws Exception {
        Path ovpn = StockClientFixture.write(Files.createDirectories(dir.resolve("profiles")), "alice");
        ImportPlan plan = Importer.plan(ovpn);
        List<Path> written = new Installer(home, dist, false).install(plan, ovpn.toString());
        assertEquals(home.resolve("config").resolve(Pids.CORE_BUS), written.get(0));
        assertEquals(home.resolve("config").resolve(Pids.client("alice")), written.get(written.size() - 2));
        assertEquals(home.resolve("profile"), written.get(written.size() - 1));
        assertEquals(7, written.size(), written.toString());
    }

    @Test
    void aSecondClientKeepsTheProfileFileAndAServerHomeIsNotTurnedIntoAClientSilently() throws Exception {
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        StockClientFixture.write(profiles, "alice");
        Path bob = StockClientFixture.write(Files.createDirectories(dir.resolve("profiles-bob")), "bob");
        ImportCommand.run(new String[] {profiles.resolve("alice.ovpn").toString(), "--home", home.toString(), "--dist", dist.toString()});
        List<Path> written = new Installer(home, dist, false).install(Importer.plan(bob), "bob.ovpn");
        assertTrue(!written.contains(home.resolve("profile")), "unchanged, not rewritten: " + written);

        Path serverHome = Files.createDirectories(dir.resolve("server-home"));
        Files.writeString(serverHome.resolve("profile"), "server\n");
        ImportPlan plan = Importer.plan(profiles.resolve("alice.ovpn"));
        ImportException e = assertThrows(ImportException.class, () -> new Installer(serverHome, dist, false).install(plan, "x"));
        assertTrue(e.getMessage().contains(serverHome.resolve("profile").toString()), e.getMessage());
        assertEquals("server\n", Files.readString(serverHome.resolve("profile")));
        new Installer(serverHome, dist, true).install(plan, "x");
        assertEquals("client\n", Files.readString(serverHome.resolve("profile")), "--force");
    }

    @Test
    void aDistributionWithoutTheProfileIsAnErrorBeforeAnythingIsWritten() throws Exception {
        Files.delete(dist.resolve("etc/client.bndrun"));
        Path ovpn = StockClientFixture.write(Files.createDirectories(dir.resolve("profiles")), "alice");
        ImportException e = assertThrows(ImportException.class,
                () -> new Installer(home, dist, false).install(Importer.plan(ovpn), ovpn.toString()));
        assertTrue(e.getMessage().contains("client.bndrun"), e.getMessage());
        assertTrue(!Files.exists(home), "nothing written");
    }

    @Test
    void aCleanProfileExitsZeroAndAHomeWithConfigIsNotSeeded() throws Exception {
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        StockClientFixture.write(profiles, "unused");
        Path ovpn = profiles.resolve("office.ovpn");
        Files.writeString(ovpn, Files.readString(profiles.resolve("unused.ovpn")).lines()
                .filter(l -> !l.startsWith("remote vpn2") && !l.startsWith("auth-user-pass") && !l.startsWith("redirect-gateway"))
                .reduce("", (a, b) -> a + b + "\n"));
        Files.createDirectories(home.resolve("config"));
        assertEquals(ImportCommand.OK, ImportCommand.run(new String[] {ovpn.toString(), "--home", home.toString(),
            "--dist", dist.toString()}));
        try (Stream<Path> files = Files.list(home.resolve("config"))) {
            assertEquals(List.of(Pids.client("office")), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
