package org.tunnelbus.itests.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam configuration of every test class: the framework the launcher ({@code bin/tunnelbus start})
 * would start, built from the same {@link Distribution}.
 *
 * <ul>
 *   <li>exactly the jars of {@code bundles/}, as {@code file:} URLs, with the profile's start levels (fragments
 *       installed, not started), in the launcher's install order;</li>
 *   <li>the profile's {@code -runproperties} and {@code -runsystempackages};</li>
 *   <li>the launcher's per-instance properties for a fresh HOME under {@code target/itest-homes/CLASS}:
 *       {@code felix.fileinstall.dir} = HOME/config (a copy of the distribution's {@code config/} without the TUN/TAP
 *       device configurations: no tunnel device in the root network namespace), the web console
 *       on 127.0.0.1 at a free port with a random password, Gogo non-interactive, slf4j-simple as the launcher sets
 *       it up (System.err);</li>
 *   <li>plus Pax Exam's own bundles (its defaults at start level 2, JUnit) and the test probe. The test stage
 *       bundles are installed by the tests themselves.</li>
 * </ul>
 */
public final class TunnelbusOptions {
    /** Configuration files of TUN/TAP devices (factory PID org.tunnelbus.device.tun and any other device module). */
    static final String DEVICE_PID_PREFIX = "org.tunnelbus.device.";

    private TunnelbusOptions() {
    }

    public static Option[] runtime(Class<?> testClass, Option... extra) {
        Distribution dist = Distribution.current();
        Path home = freshHome(testClass);
        Path config = home.resolve("config");
        try {
            copyTree(dist.config(), config);
            // No TUN/TAP device: this framework runs in the test JVM, in the root network namespace, which gets no
            // tunnel devices or private addresses (DESIGN.md, network rules). Devices are the e2e tests' business,
            // inside namespaces they create. (The device would also feed the kernel's packets into the chains.)
            try (var files = Files.list(config)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.getFileName().toString().startsWith(DEVICE_PID_PREFIX)) {
                        Files.delete(f);
                        System.out.println("[itest] not configured in the test framework (root namespace): " + f.getFileName());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + config + ": " + e, e);
        }

        List<Option> o = new ArrayList<>();
        o.add(workingDirectory(home.resolve("paxexam").toString()));
        o.add(cleanCaches(true));
        o.add(systemTimeout(60_000));
        o.add(frameworkStartLevel(Math.max(dist.highestStartLevel(), Constants.START_LEVEL_TEST_BUNDLE)));

        // the profile
        if (dist.systemPackages() != null) {
            o.add(systemPackage(dist.systemPackages()));
        }
        for (Map.Entry<String, String> e : dist.runProperties().entrySet()) {
            o.add(frameworkProperty(e.getKey()).value(e.getValue()));
        }
        // the launcher's per-instance properties
        if (!dist.runProperties().containsKey("felix.log.level")) {
            o.add(frameworkProperty("felix.log.level").value("1"));
        }
        o.add(frameworkProperty("tunnelbus.home").value(home.toString()));
        o.add(frameworkProperty("tunnelbus.dist").value(dist.home().toString()));
        o.add(frameworkProperty("tunnelbus.profile").value(dist.profileName()));
        o.add(frameworkProperty("felix.fileinstall.dir").value(config.toString()));
        o.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(freeLoopbackPort())));
        o.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        o.add(frameworkProperty("org.apache.felix.https.enable").value("false"));
        o.add(frameworkProperty("felix.webconsole.username").value("admin"));
        o.add(frameworkProperty("felix.webconsole.password").value(randomHashedPassword()));
        o.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // slf4j-simple as the launcher configures it (Main.configureSlf4jSimple): System.err, INFO
        slf4jDefault(o, "org.slf4j.simpleLogger.logFile", "System.err");
        slf4jDefault(o, "org.slf4j.simpleLogger.defaultLogLevel", "info");
        slf4jDefault(o, "org.slf4j.simpleLogger.showDateTime", "true");
        slf4jDefault(o, "org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        slf4jDefault(o, "org.slf4j.simpleLogger.showThreadName", "false");
        slf4jDefault(o, "org.slf4j.simpleLogger.showLogName", "true");
        slf4jDefault(o, "org.slf4j.simpleLogger.levelInBrackets", "false");
        slf4jDefault(o, "org.slf4j.simpleLogger.warnLevelString", "WARN");

        // the distribution's bundles
        for (Distribution.Jar j : dist.jars()) {
            o.add(bundle(j.location()).startLevel(j.startLevel()).start(!j.fragment()));
        }
        o.add(junitBundles());
        for (Option x : extra) {
            o.add(x);
        }
        return o.toArray(new Option[0]);
    }

    private static void slf4jDefault(List<Option> o, String key, String value) {
        if (System.getProperty(key) == null) {
            o.add(systemProperty(key).value(value));
        }
    }

    /** target/itest-homes/CLASS, emptied. */
    private static Path freshHome(Class<?> testClass) {
        Path work = Path.of(System.getProperty("tunnelbus.itest.work", "target/itest-homes")).toAbsolutePath();
        Path home = work.resolve(testClass.getSimpleName());
        try {
            deleteTree(home);
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the test home " + home + ": " + e, e);
        }
        return home;
    }

    static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on loopback: " + e, e);
        }
    }

    /** The web console's hashed form {sha-256}SALT-ITERATIONS-BASE64 of a random password nobody knows. */
    static String randomHashedPassword() {
        SecureRandom r = new SecureRandom();
        byte[] pw = new byte[18];
        byte[] salt = new byte[8];
        r.nextBytes(pw);
        r.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (saltHex + Base64.getEncoder().encodeToString(pw)).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 1000; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return "{sha-256}" + saltHex + "-1000-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().equals(".keep")) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
