package org.tunnelbus.runtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @Test
    void readsStartLevelsPropertiesAndSystemPackages(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("server.bndrun");
        Files.writeString(f, String.join("\n",
                "# comment",
                "-runfw: org.apache.felix.framework;version='[7.0.5,7.0.6)'",
                "-runproperties: \\",
                "\ta.b=1,\\",
                "\tfelix.fileinstall.filter='.*\\\\.(cfg|config)',\\",
                "\tquoted=\"x,y\"",
                "-runsystempackages: sun.misc",
                "-runbundles: \\",
                "\tslf4j.api;version='[2.0.17,2.0.18)';startlevel=1,\\",
                "\torg.tunnelbus.core;version='[0.1.0,0.1.1)';startlevel=10,\\",
                "\tno.level;version='[1.0.0,2.0.0)'",
                ""));
        Profile p = Profile.read(f, 7);
        assertEquals("server", p.name());
        assertEquals("1", p.runProperties().get("a.b"));
        assertEquals(".*\\.(cfg|config)", p.runProperties().get("felix.fileinstall.filter"));
        assertEquals("x,y", p.runProperties().get("quoted"));
        assertEquals("sun.misc", p.systemPackages());
        assertEquals(3, p.runBundles().size());
        assertEquals(1, p.find("slf4j.api", "2.0.17").startLevel());
        assertNull(p.find("slf4j.api", "2.0.18"));
        assertEquals(10, p.find("org.tunnelbus.core", "0.1.0.202611251040").startLevel());
        assertEquals(7, p.find("no.level", "1.5.0").startLevel());
    }

    @Test
    void defaultsAreGlobsOfFileNamesAndAllWhenAbsent(@TempDir Path dir) throws Exception {
        Path client = dir.resolve("client.bndrun");
        Files.writeString(client, "tunnelbus.defaults: org.tunnelbus.core.bus.cfg, *.example\n");
        Profile p = Profile.read(client, 10);
        assertTrue(p.seeds("org.tunnelbus.core.bus.cfg"));
        assertTrue(p.seeds("org.tunnelbus.auth.userpass.cfg.example"));
        assertFalse(p.seeds("org.tunnelbus.pki.cfg"));
        Path server = dir.resolve("server.bndrun");
        Files.writeString(server, "-runbundles: a\n");
        assertTrue(Profile.read(server, 10).seeds("org.tunnelbus.pki.cfg"));
    }

    @Test
    void aNewHomeGetsTheProfilesDefaultsOnlyAndAnExistingOneNothing(@TempDir Path dir) throws Exception {
        Path defaults = Files.createDirectories(dir.resolve("dist/config"));
        Files.writeString(defaults.resolve("org.tunnelbus.core.bus.cfg"), "a = 1\n");
        Files.writeString(defaults.resolve("org.tunnelbus.pki.cfg"), "b = 2\n");
        Files.writeString(defaults.resolve(".keep"), "");
        Path f = dir.resolve("client.bndrun");
        Files.writeString(f, "tunnelbus.defaults: org.tunnelbus.core.bus.cfg\n");
        Profile client = Profile.read(f, 10);
        Path config = dir.resolve("home/config");
        assertTrue(HomeConfig.seed(defaults, config, client));
        try (var s = Files.list(config)) {
            assertEquals(java.util.List.of("org.tunnelbus.core.bus.cfg"), s.map(x -> x.getFileName().toString()).toList());
        }
        Files.delete(config.resolve("org.tunnelbus.core.bus.cfg"));
        assertFalse(HomeConfig.seed(defaults, config, client));
        try (var s = Files.list(config)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void versionRanges() {
        assertTrue(Profile.inRange("1.4.3", "[1.4.3,1.4.4)"));
        assertFalse(Profile.inRange("1.4.4", "[1.4.3,1.4.4)"));
        assertTrue(Profile.inRange("1.4.4", "[1.4.3,1.4.4]"));
        assertFalse(Profile.inRange("1.4.3", "(1.4.3,2)"));
        assertTrue(Profile.inRange("3.0.0", "1.0"));
    }

    @Test
    void fileInstallFailuresBecomeOneLineNamingTheFile() {
        Exception e = new java.io.IOException("wrapped", new NumberFormatException("For input string: \"x\""));
        assertEquals("Cannot read configuration file /h/config/a.b.config: For input string: \"x\" (NumberFormatException);"
                + " it is ignored until the file changes",
                OsgiLogForwarder.configFileProblem("Failed to install artifact: /h/config/a.b.config", e));
        assertTrue(OsgiLogForwarder.configFileProblem("Failed to update artifact /h/config/a.cfg", e)
                .contains("stays in force"));
        assertNull(OsgiLogForwarder.configFileProblem("Failed to install artifact: /h/config/x.jar", e));
        assertNull(OsgiLogForwarder.configFileProblem("Creating configuration {a}", null));
        assertEquals("org.apache.felix.scr", OsgiLogForwarder.source("org.apache.felix.scr", "ROOT"));
        assertEquals("b/Events.Service", OsgiLogForwarder.source("b", "Events.Service.b"));
        assertEquals("b/com.x.Foo", OsgiLogForwarder.source("b", "com.x.Foo"));
    }
}
