package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        System.setProperty("tunnelbus.home", home.toString()); // what the launcher sets; FileInstall substitutes it
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("tunnelbus.home");
    }

    @Test
    void aFreshHomeGetsTheClientAndThePacketBusOnlyAndTheConnectorAcceptsIt() throws Exception {
        Path ovpn = StockClientFixture.write(Files.createDirectories(dir.resolve("profiles")), "alice");
        assertEquals(ImportCommand.PARTIAL, ImportCommand.run(new String[] {ovpn.toString(), "--home", home.toString(),
            "--dist", dist.toString()}));
        try (Stream<Path> files = Files.list(home.resolve("config"))) {
            assertEquals(List.of(Pids.CORE_BUS, Pids.client("alice")),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Map<String, Object> cfg = RoundTripTest.fileInstall(home.resolve("config").resolve(Pids.client("alice")));
        assertEquals(home + "/import/alice/client.key", cfg.get("key"));
        assertEquals(true, cfg.get("remote.cert.tls"));
        ClientSettings s = ClientSettings.from(cfg);
        assertEquals("vpn.example.com", s.remoteHost());
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
        List<Path> written = new Installer(home, dist.resolve("config"), false).install(plan, ovpn.toString());
        assertEquals(home.resolve("config").resolve(Pids.CORE_BUS), written.get(0));
        assertEquals(home.resolve("config").resolve(Pids.client("alice")), written.get(written.size() - 1));
        assertEquals(6, written.size(), written.toString());
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
