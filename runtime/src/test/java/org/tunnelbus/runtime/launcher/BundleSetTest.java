package org.tunnelbus.runtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * bundles/ holds the union of the profiles; a profile gets only its own -runbundles, and a home that ran another
 * profile before loses the bundles this one does not list. In a real Felix framework, with manifest-only bundles.
 */
class BundleSetTest {
    @TempDir
    Path dir;
    private Path bundles;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private LogPrinter log;

    @BeforeEach
    void distribution() throws Exception {
        bundles = Files.createDirectories(dir.resolve("dist/bundles"));
        jar(bundles, "shared", "1.0.0", false);
        jar(bundles, "server.only", "2.0.0", false);
        jar(bundles, "client.only", "3.0.0", false);
        jar(bundles, "client.fragment", "3.0.0", true);
        log = new LogPrinter(new PrintStream(logged, true, StandardCharsets.UTF_8), LogPrinter.Level.INFO, false);
    }

    @Test
    void aProfileGetsOnlyItsRunBundlesWithTheirStartLevels() throws Exception {
        BundleSet set = BundleSet.scan(bundles, profile("client", "shared;version='[1.0.0,1.0.1)';startlevel=1",
                "client.only;version='[3.0.0,3.0.1)';startlevel=11", "client.fragment;version='[3.0.0,3.0.1)'"));
        assertEquals(List.of("shared", "client.fragment", "client.only"),
                set.jars().stream().map(BundleSet.Jar::symbolicName).toList(), "by start level, then name");
        assertEquals(11, set.highestStartLevel());
        assertTrue(set.contains("client.only"));
        assertFalse(set.contains("server.only"));
    }

    @Test
    void aRunBundleWithoutItsJarIsAnError() throws Exception {
        LauncherException e = assertThrows(LauncherException.class, () -> BundleSet.scan(bundles,
                profile("client", "shared;version='[1.0.0,1.0.1)'", "shared;version='[9.0.0,9.0.1)'", "missing")));
        assertTrue(e.getMessage().contains("shared [9.0.0,9.0.1), missing null"), e.getMessage());
    }

    @Test
    void switchingProfilesUninstallsTheOtherProfilesBundles() throws Exception {
        Profile server = profile("server", "shared", "server.only;startlevel=6");
        Profile client = profile("client", "shared", "client.only;startlevel=11", "client.fragment");
        Path cache = dir.resolve("home/.felix-cache");
        assertEquals(List.of("server.only", "shared"), run(cache, server));
        installOther(cache, jar(Files.createDirectories(dir.resolve("elsewhere")), "by.gogo", "1.0.0", false));

        assertEquals(List.of("by.gogo", "client.fragment", "client.only", "shared"), run(cache, client),
                "a bundle installed from elsewhere (by Gogo) stays; server.only goes");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("Uninstalling server.only 2.0.0: not in this profile"),
                logged.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("by.gogo", "server.only", "shared"), run(cache, server));
    }

    @Test
    void aModuleUploadedAtRunTimeThatTheDistributionLaterShipsIsKeptOnceNotInstalledTwice() throws Exception {
        Path cache = dir.resolve("home/.felix-cache");
        run(cache, profile("server", "shared"));
        installOther(cache, jar(Files.createDirectories(dir.resolve("uploads")), "server.only", "2.0.0", false));
        // the distribution now ships the same module at the same version: before, "not unique" stopped the start
        assertEquals(List.of("server.only", "shared"), run(cache, profile("server", "shared", "server.only")));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("Keeping server.only 2.0.0 installed at run time"),
                logged.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("server.only", "shared"), run(cache, profile("server", "shared", "server.only")), "and again");
    }

    @Test
    void aModuleUpdatedAtRunTimeToANewerVersionIsNotDowngradedAtTheNextStart() throws Exception {
        Path cache = dir.resolve("home/.felix-cache");
        Profile server = profile("server", "shared", "server.only");
        run(cache, server);
        Path newer = jar(Files.createDirectories(dir.resolve("uploads")), "server.only", "2.1.0", false);
        Framework fw = framework(cache);
        try (var in = Files.newInputStream(newer)) {
            fw.getBundleContext().getBundle(bundles.resolve("server.only-2.0.0.jar").toUri().toString()).update(in);
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }
        run(cache, server);
        assertEquals(List.of("server.only 2.1.0", "shared 1.0.0"), versions(cache));
    }

    @Test
    void anOlderModuleInstalledAtRunTimeMakesWayForTheDistributionsNewerOne() throws Exception {
        Path cache = dir.resolve("home/.felix-cache");
        run(cache, profile("server", "shared"));
        installOther(cache, jar(Files.createDirectories(dir.resolve("uploads")), "server.only", "1.5.0", false));
        assertEquals(List.of("server.only", "shared"), run(cache, profile("server", "shared", "server.only")));
        assertEquals(List.of("server.only 2.0.0", "shared 1.0.0"), versions(cache));
    }

    private static List<String> versions(Path cache) throws Exception {
        Framework fw = framework(cache);
        try {
            return Arrays.stream(fw.getBundleContext().getBundles()).filter(b -> b.getBundleId() != 0)
                    .map(b -> b.getSymbolicName() + " " + b.getVersion()).sorted().toList();
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }
    }

    /** Starts a framework on the cache (as the launcher, not starting it), applies the profile; the bsns installed. */
    private List<String> run(Path cache, Profile profile) throws Exception {
        Framework fw = framework(cache);
        try {
            BundleSet set = BundleSet.scan(bundles, profile);
            set.apply(fw.getBundleContext(), log);
            for (BundleSet.Jar j : set.jars()) {
                Bundle b = Arrays.stream(fw.getBundleContext().getBundles())
                        .filter(x -> j.symbolicName().equals(x.getSymbolicName())).findFirst().orElseThrow();
                assertEquals(j.startLevel(), b.adapt(BundleStartLevel.class).getStartLevel(), j.symbolicName());
            }
            return Arrays.stream(fw.getBundleContext().getBundles()).filter(b -> b.getBundleId() != 0)
                    .map(Bundle::getSymbolicName).sorted().toList();
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }
    }

    private void installOther(Path cache, Path jar) throws Exception {
        Framework fw = framework(cache);
        try {
            fw.getBundleContext().installBundle(jar.toUri().toString());
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
        }
    }

    private static Framework framework(Path cache) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put("felix.log.level", "0");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        fw.init();
        return fw;
    }

    private Profile profile(String name, String... runBundles) throws Exception {
        Path f = dir.resolve(name + ".bndrun");
        Files.writeString(f, "-runbundles: " + String.join(",\\\n\t", runBundles) + "\n");
        return Profile.read(f, Main.DEFAULT_START_LEVEL);
    }

    private static Path jar(Path folder, String bsn, String version, boolean fragment) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, bsn);
        a.putValue(Constants.BUNDLE_VERSION, version);
        if (fragment) {
            a.putValue(Constants.FRAGMENT_HOST, "client.only");
        }
        Path jar = folder.resolve(bsn + "-" + version + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        return jar;
    }
}
