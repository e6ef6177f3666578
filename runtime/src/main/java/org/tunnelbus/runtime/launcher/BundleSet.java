package org.tunnelbus.runtime.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Makes the framework's installed bundles match the profile: the jars of the distribution's {@code bundles/}
 * folder (the union of every profile's) that the profile's {@code -runbundles} lists, with its start levels.
 * Runs between {@code Framework.init()} and {@code Framework.start()}, so nothing starts before every bundle is
 * installed and has its start level.
 *
 * <p>The framework cache lives in the home and survives restarts (Config Admin keeps its data there), so
 * this is a synchronisation, by bundle location ({@code file:} URL of the jar): a jar not installed yet is
 * installed; a jar newer than its installed bundle is updated; a bundle whose {@code file:} jar is gone
 * (an older distribution), or whose jar is in {@code bundles/} but not in this profile (the home ran another
 * profile before), is uninstalled. Bundles installed by other means (web console, {@code HOME/modules}, Gogo) are
 * left alone, and win over the distribution's jar of the same module when they are at least as new (a module
 * installed or updated at run time survives a restart; see {@code runtimeModuleWins}).
 */
final class BundleSet {

    /** A jar of bundles/ with what its manifest says. */
    record Jar(Path path, String symbolicName, String version, boolean fragment, int startLevel) {
        String location() {
            return path.toUri().toString();
        }
    }

    private final Path bundlesDir;
    private final List<Jar> jars;

    private BundleSet(Path bundlesDir, List<Jar> jars) {
        this.bundlesDir = bundlesDir;
        this.jars = jars;
    }

    /** The jars of {@code bundlesDir} that {@code profile} runs; fails when one of its run bundles has no jar. */
    static BundleSet scan(Path bundlesDir, Profile profile) throws IOException, LauncherException {
        if (!Files.isDirectory(bundlesDir)) {
            throw new LauncherException("the distribution has no bundles folder " + bundlesDir);
        }
        bundlesDir = bundlesDir.toAbsolutePath().normalize();
        List<Jar> jars = new ArrayList<>();
        Set<Profile.RunBundle> found = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(bundlesDir, "*.jar")) {
            for (Path p : ds) {
                Manifest mf;
                try (JarFile jf = new JarFile(p.toFile())) {
                    mf = jf.getManifest();
                }
                Attributes a = mf == null ? null : mf.getMainAttributes();
                String bsn = a == null ? null : a.getValue("Bundle-SymbolicName");
                if (bsn == null) {
                    throw new LauncherException(p + " is not an OSGi bundle (no Bundle-SymbolicName)");
                }
                bsn = bsn.split(";")[0].trim();
                String version = a.getValue("Bundle-Version") == null ? "0.0.0" : a.getValue("Bundle-Version").trim();
                boolean fragment = a.getValue("Fragment-Host") != null;
                Profile.RunBundle rb = profile.find(bsn, version);
                if (rb != null && found.add(rb)) { // another profile's, or a second jar of the same bundle: not ours
                    jars.add(new Jar(p.toAbsolutePath().normalize(), bsn, version, fragment, rb.startLevel()));
                }
            }
        }
        List<String> missing = profile.runBundles().stream().filter(rb -> !found.contains(rb))
                .map(rb -> rb.symbolicName() + " " + rb.versionRange()).toList();
        if (!missing.isEmpty()) {
            throw new LauncherException("profile " + profile.name() + " runs bundles that " + bundlesDir + " lacks: "
                    + String.join(", ", missing) + " (an incomplete distribution; build it again)");
        }
        // install order: by start level, then by name: the start order within a level follows the bundle ids
        jars.sort(Comparator.comparingInt(Jar::startLevel).thenComparing(Jar::symbolicName));
        return new BundleSet(bundlesDir, jars);
    }

    List<Jar> jars() {
        return jars;
    }

    /** Whether the set holds a bundle of this symbolic name. */
    boolean contains(String bsn) {
        return jars.stream().anyMatch(j -> j.symbolicName().equals(bsn));
    }

    int highestStartLevel() {
        int max = 1;
        for (Jar j : jars) {
            max = Math.max(max, j.startLevel());
        }
        return max;
    }

    /** Installs, updates and uninstalls; sets start levels; marks the non-fragments to be started. */
    void apply(BundleContext system, LogPrinter log) throws LauncherException {
        // 1. bundles whose jar is gone, or that another profile installed
        Set<String> locations = new HashSet<>();
        jars.forEach(j -> locations.add(j.location()));
        for (Bundle b : system.getBundles()) {
            String loc = b.getLocation();
            if (b.getBundleId() == 0 || loc == null || !loc.startsWith("file:") || !loc.endsWith(".jar")) {
                continue;
            }
            Path p;
            try {
                p = Path.of(java.net.URI.create(loc));
            } catch (IllegalArgumentException e) {
                continue;
            }
            String why = !Files.exists(p) ? p + " is no longer in the distribution"
                    : bundlesDir.equals(p.getParent()) && !locations.contains(loc) ? "not in this profile" : null;
            if (why != null) {
                try {
                    log.log(LogPrinter.Level.INFO, "tunnelbus.launcher", "Uninstalling " + b.getSymbolicName() + " "
                            + b.getVersion() + ": " + why);
                    b.uninstall();
                } catch (BundleException e) {
                    log.log(System.currentTimeMillis(), LogPrinter.Level.WARN, "tunnelbus.launcher",
                            "cannot uninstall " + b.getSymbolicName(), e);
                }
            }
        }
        // 2. install or update, unless a module installed or updated at run time is at least as new
        for (Jar j : jars) {
            Bundle b = system.getBundle(j.location());
            try {
                Bundle kept = runtimeModuleWins(system, j, b, log);
                if (kept != null) {
                    b = kept; // the profile's start level still applies to it
                } else if (b == null) {
                    try (InputStream in = Files.newInputStream(j.path())) {
                        b = system.installBundle(j.location(), in);
                    }
                } else if (distributionIsNewer(j, b)) {
                    log.log(LogPrinter.Level.INFO, "tunnelbus.launcher", "Updating " + j.symbolicName() + " from " + j.path());
                    try (InputStream in = Files.newInputStream(j.path())) {
                        b.update(in);
                    }
                }
            } catch (BundleException | IOException e) {
                throw new LauncherException("cannot install " + j.path() + ": " + LogPrinter.describe(e));
            }
            b.adapt(BundleStartLevel.class).setStartLevel(j.startLevel());
            if (!j.fragment()) {
                try {
                    b.start(); // at framework init this only records "start when the start level is reached"
                } catch (BundleException e) {
                    throw new LauncherException("cannot mark " + j.symbolicName() + " for start: " + LogPrinter.describe(e));
                }
            }
        }
    }

    /**
     * A module of the same name installed at run time (web console upload, HOME/modules, Gogo) from another location,
     * at the jar's version or newer, stays and the jar is left out (installing it too would fail with "Bundle
     * symbolic name and version are not unique", or run two versions of one module); the distribution's copy of it
     * goes. Older run-time copies go instead, and the jar is installed. Returns the module kept, or null.
     */
    private static Bundle runtimeModuleWins(BundleContext system, Jar j, Bundle fromJar, LogPrinter log) throws BundleException {
        Version jarVersion = Version.parseVersion(normalize(j.version()));
        Bundle newest = null;
        for (Bundle o : system.getBundles()) {
            if (o.getBundleId() == 0 || o == fromJar || !j.symbolicName().equals(o.getSymbolicName())) {
                continue;
            }
            if (o.getVersion().compareTo(jarVersion) >= 0) {
                newest = newest == null || o.getVersion().compareTo(newest.getVersion()) > 0 ? o : newest;
            } else {
                log.log(LogPrinter.Level.INFO, "tunnelbus.launcher", "Uninstalling " + o.getSymbolicName() + " " + o.getVersion()
                        + " installed at run time (" + o.getLocation() + "): the distribution has the newer " + jarVersion);
                o.uninstall();
            }
        }
        if (newest == null) {
            return null;
        }
        log.log(LogPrinter.Level.INFO, "tunnelbus.launcher", "Keeping " + newest.getSymbolicName() + " " + newest.getVersion()
                + " installed at run time (" + newest.getLocation() + ") instead of the distribution's " + jarVersion);
        if (fromJar != null) {
            fromJar.uninstall();
        }
        return newest;
    }

    /** The jar is a newer version, or the same version built later; a bundle updated at run time to a newer version stays. */
    private static boolean distributionIsNewer(Jar j, Bundle b) throws IOException {
        int c = Version.parseVersion(normalize(j.version())).compareTo(b.getVersion());
        return c > 0 || c == 0 && Files.getLastModifiedTime(j.path()).toMillis() > b.getLastModified();
    }

    private static String normalize(String version) {
        try {
            return org.osgi.framework.Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            return version;
        }
    }
}
