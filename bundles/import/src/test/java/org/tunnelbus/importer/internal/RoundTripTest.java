package org.tunnelbus.importer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.openvpn.internal.server.ServerSettings;

/** The written files as FileInstall reads them, and the listener's own validation of them. */
class RoundTripTest {
    @TempDir
    Path dir;
    private Path home;
    private Path conf;

    @BeforeEach
    void setUp() throws Exception {
        home = dir.resolve("home");
        conf = StockServerFixture.write(Files.createDirectories(dir.resolve("etc")));
        System.setProperty("tunnelbus.home", home.toString()); // what the launcher sets; FileInstall substitutes it
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("tunnelbus.home");
    }

    @Test
    void theListenerAcceptsTheImportedConfiguration() throws Exception {
        assertEquals(ImportCommand.PARTIAL, ImportCommand.run(new String[] {conf.toString(), "--home", home.toString()}));
        Map<String, Object> listener = fileInstall(home.resolve("config").resolve(Pids.LISTENER));
        assertEquals(1194, listener.get("port"));
        assertArrayEquals(new String[] {"cert"}, (String[]) listener.get("auth.required"));
        ServerSettings s = ServerSettings.from(listener);
        assertEquals(ServerSettings.Wrapping.TLS_CRYPT, s.wrapping());
        assertEquals(100, s.maxClients());
    }

    @Test
    void everyFileIsTypedForFileInstall() throws Exception {
        ImportCommand.run(new String[] {conf.toString(), "--home", home.toString()});
        Map<String, Object> h = fileInstall(home.resolve("config").resolve(Pids.HANDSHAKE));
        assertArrayEquals(new String[] {"route 192.168.10.0 255.255.255.0", "dhcp-option DNS 10.8.0.1"}, (String[]) h.get("push"));
        assertEquals(120, h.get("keepalive.restart"));
        assertEquals(true, fileInstall(home.resolve("config").resolve(Pids.ROUTING)).get("client.to.client"));
        assertEquals(home + "/import/server/crl.pem", fileInstall(home.resolve("config").resolve(Pids.AUTH)).get("crl"));
    }

    @Test
    void awkwardStringsSurviveTheTypedFormat() throws Exception {
        String nasty = "a \"quoted\" c:\\dir\\f, ${not.set} \u00e9 # ; = : [x]";
        Path f = dir.resolve("x.cfg");
        Files.writeString(f, CfgWriter.render("h", Map.of("v", nasty, "l", List.of("p, q", "r\\s")), "src"));
        Map<String, Object> read = fileInstall(f);
        assertEquals(nasty.replace("${not.set}", ""), read.get("v"));
        assertArrayEquals(new String[] {"p, q", "r\\s"}, (String[]) read.get("l"));
    }

    @Test
    void keysAreSecretAndNothingIsOverwrittenSilently() throws Exception {
        ImportCommand.run(new String[] {conf.toString(), "--home", home.toString()});
        Path key = home.resolve("import/server/server.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("import/server/tls-crypt.key"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("import/server/ca.crt"))));

        Files.writeString(home.resolve("config").resolve(Pids.HANDSHAKE), "server = 10.9.0.0/24\n");
        ImportPlan plan = Importer.plan(conf);
        Installer installer = new Installer(home, null, false);
        ImportException e = assertThrows(ImportException.class, () -> installer.install(plan, "x"));
        assertTrue(e.getMessage().contains(home.resolve("config").resolve(Pids.HANDSHAKE).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals("server = 10.9.0.0/24\n", Files.readString(home.resolve("config").resolve(Pids.HANDSHAKE)));

        assertEquals(ImportCommand.PARTIAL, ImportCommand.run(new String[] {conf.toString(), "--home", home.toString(), "--force"}));
        assertTrue(Files.readString(home.resolve("config").resolve(Pids.HANDSHAKE)).contains("server = \"10.8.0.0/24\""));
    }

    @Test
    void aFreshHomeGetsTheDefaultsFirst() throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist/config"));
        Files.writeString(dist.resolve("org.tunnelbus.core.bus.cfg"), "required.stages = outgoing:openvpn-seal\n");
        Files.writeString(dist.resolve(Pids.HANDSHAKE), "server = 10.8.0.0/24\n");
        Files.writeString(Files.createDirectories(dir.resolve("dist/etc")).resolve("server.bndrun"), "tunnelbus.defaults: *\n");
        ImportCommand.run(new String[] {conf.toString(), "--home", home.toString(), "--dist", dir.resolve("dist").toString()});
        assertTrue(Files.exists(home.resolve("config/org.tunnelbus.core.bus.cfg")));
        assertEquals("server\n", Files.readString(home.resolve("profile")));
        assertTrue(Files.readString(home.resolve("config").resolve(Pids.HANDSHAKE)).contains("push = ["));
        try (var s = Files.list(home.resolve("config"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void exitStatuses() throws Exception {
        Path clean = dir.resolve("clean.conf");
        Files.writeString(clean, "port 1195\nproto udp\ndev tun\nca etc/ca.crt\ncert etc/server.crt\nkey etc/server.key\n"
                + "topology subnet\nserver 10.9.0.0 255.255.255.0\nkeepalive 10 60\ndh none\n");
        assertEquals(ImportCommand.OK, ImportCommand.run(new String[] {clean.toString(), "--home", dir.resolve("h2").toString()}));
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "port 1194\npush \"route 10.0.0.0\n");
        assertEquals(ImportCommand.ERROR, ImportCommand.run(new String[] {broken.toString(), "--home", dir.resolve("h3").toString()}));
        assertFalse(Files.exists(dir.resolve("h3")), "nothing written on a syntax error");
        assertEquals(ImportCommand.ERROR, ImportCommand.run(new String[] {dir.resolve("missing.conf").toString(), "--home", home.toString()}));
        assertEquals(ImportCommand.USAGE, ImportCommand.run(new String[] {"--home"}));
    }

    static Map<String, Object> fileInstall(Path cfg) throws Exception {
        TypedProperties p = new TypedProperties();
        try (Reader r = Files.newBufferedReader(cfg)) {
            p.load(r);
        }
        Map<String, Object> out = new HashMap<>();
        for (String k : p.keySet()) {
            out.put(k, p.get(k));
        }
        return out;
    }
}
