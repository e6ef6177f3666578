package org.tunnelbus.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution as an OpenVPN client (docs/client.md): a home whose {@code config/} holds only one
 * {@code org.tunnelbus.openvpn.client} configuration and whose {@code profile} file says {@code client} (as
 * {@code tunnelbus import} writes it: the client profile's bundles, no CA, no web console), started in a client
 * namespace. {@link #fromProfile} turns
 * the output of {@code tunnelbus profile NAME} into that configuration (inline blocks become files), so a test
 * uses the same credentials a stock client would.
 */
public final class TunnelbusClient implements AutoCloseable {
    /** The client's own line when the tunnel is up; group 1 is the pushed address ({@code 10.8.0.2/24}). */
    public static final Pattern CONNECTED = Pattern.compile(".*Connected to .*address (\\d+\\.\\d+\\.\\d+\\.\\d+)/\\d+.*");
    /** The configuration file the client's home gets. */
    public static final String CONFIG = "org.tunnelbus.openvpn.client-e2e.cfg";
    /** The TUN device the client configures. */
    public static final String DEVICE = "tbc0";
    /** The file of a home that names its profile (runtime/README.md). */
    public static final String PROFILE_FILE = "profile";
    /** The launcher's start line for a client home; the source is HOME/profile. */
    public static final Pattern CLIENT_PROFILE_STARTED = Pattern.compile(".*Starting Tunnelbus \\(profile client from .*/profile, \\d+ bundles\\).*");

    private final TunnelbusServer process;

    private TunnelbusClient(TunnelbusServer process) {
        this.process = process;
    }

    /**
     * Writes {@code properties} (plus {@code device = tbc0}) as the only configuration of {@code home}, makes it a
     * client home ({@code HOME/profile}) and starts the distribution {@code dist} on it inside {@code ns}.
     */
    public static TunnelbusClient start(Cleanup cleanup, Netns ns, Path dist, Path home, int consolePort, Path log,
            Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.putIfAbsent("device", DEVICE);
        List<String> lines = new ArrayList<>();
        all.forEach((k, v) -> lines.add(k + " = " + v));
        try {
            Files.createDirectories(home.resolve("config"));
            Files.write(home.resolve("config").resolve(CONFIG), lines, StandardCharsets.ISO_8859_1);
            Files.writeString(home.resolve(PROFILE_FILE), "client\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client configuration in " + home, e);
        }
        return new TunnelbusClient(TunnelbusServer.start(cleanup, ns, dist, home, consolePort, log));
    }

    /**
     * The client configuration equivalent to a stock profile ({@code remote}, {@code proto}, {@code verify-x509-name},
     * inline {@code <ca> <cert> <key> <tls-crypt>}), the inline blocks written as files into {@code dir}.
     */
    public static Map<String, String> fromProfile(Path profile, Path dir) {
        try {
            String text = Files.readString(profile, StandardCharsets.ISO_8859_1);
            Files.createDirectories(dir);
            Map<String, String> p = new LinkedHashMap<>();
            String[] remote = directive(text, "remote", profile).split("\\s+");
            p.put("remote", remote[0]);
            p.put("port", remote.length > 1 ? remote[1] : "1194");
            p.put("proto", directive(text, "proto", profile));
            Matcher name = Pattern.compile("(?m)^verify-x509-name (\\S+) name$").matcher(text);
            if (name.find()) {
                p.put("verify.x509.name", name.group(1));
            }
            p.put("ca", block(text, "ca", dir.resolve("ca.crt"), profile));
            p.put("cert", block(text, "cert", dir.resolve("client.crt"), profile));
            p.put("key", block(text, "key", dir.resolve("client.key"), profile));
            p.put("tls.crypt", block(text, "tls-crypt", dir.resolve("tls-crypt.key"), profile));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot turn " + profile + " into a client configuration", e);
        }
    }

    /** Writes an {@code auth.user.pass} file (username, password; mode 0600) and returns its path as a property value. */
    public static String credentials(Path file, String username, String password) {
        try {
            Files.writeString(file, username + "\n" + password + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String directive(String text, String name, Path profile) {
        Matcher m = Pattern.compile("(?m)^" + name + " (.+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError(profile + " has no '" + name + "' line");
        }
        return m.group(1).trim();
    }

    /** Writes the inline block {@code <tag>} to {@code file} (0600: keys among them); returns its path. */
    private static String block(String text, String tag, Path file, Path profile) throws IOException {
        Matcher m = Pattern.compile("(?s)<" + tag + ">\\n(.*?)</" + tag + ">").matcher(text);
        if (!m.find()) {
            throw new AssertionError(profile + " has no <" + tag + "> block");
        }
        Files.writeString(file, m.group(1), StandardCharsets.ISO_8859_1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toString();
    }

    /** Waits for the client's "Connected to" line and a usable TUN device; returns the pushed address. */
    public String waitConnected(Duration timeout, Netns ns) {
        String address = process.process().waitForLine(CONNECTED, timeout).group(1);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!address.equals(ns.ipv4Of(DEVICE)) && System.nanoTime() < end) {
            Traffic.sleep(100); // the device gets its address through Config Admin, a moment after the line
        }
        if (!address.equals(ns.ipv4Of(DEVICE))) {
            throw new AssertionError("connected with " + address + ", but " + DEVICE + " in " + ns.name()
                    + " does not have it; last lines:\n" + process.process().tail(30));
        }
        return address;
    }

    public ManagedProcess process() {
        return process.process();
    }

    /** {@code tunnelbus session}: the connection's details, every option the server pushed included. */
    public String sessionDetails() {
        return process.sessionDetails();
    }

    @Override
    public void close() {
        process.close();
    }
}
