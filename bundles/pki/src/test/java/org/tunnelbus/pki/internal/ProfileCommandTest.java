package org.tunnelbus.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;

class ProfileCommandTest {
    static final String KEY = "-----BEGIN OpenVPN Static key V1-----\n"
            + "0123456789abcdef0123456789abcdef\n".repeat(16)
            + "-----END OpenVPN Static key V1-----\n";

    @TempDir
    Path home;
    Path config;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void home() throws Exception {
        config = Files.createDirectories(home.resolve("config"));
        CertificateAuthority ca = CertificateAuthority.open(home.resolve("pki"), CaPolicy.defaults());
        ca.ensureCa();
        ca.issueServer("server");
        Files.writeString(home.resolve("pki/tls-crypt.key"), "# comment line\n" + KEY);
    }

    void listener(String name, String... lines) throws Exception {
        Files.write(config.resolve("org.tunnelbus.openvpn.server-" + name + ".cfg"), List.of(lines));
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return new ProfileCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static String block(String profile, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">\n(.*?)\n</" + tag + ">\n", Pattern.DOTALL).matcher(profile);
        assertTrue(m.find(), "no <" + tag + "> in\n" + profile);
        return m.group(1);
    }

    @Test
    void printsACompleteInlineProfileAndIssuesTheCertificateOnce() throws Exception {
        listener("default", "port = 1194", "proto = udp", "public.address = vpn.example.org",
                "cert = ${tunnelbus.home}/pki/issued/server.crt", "key = ${tunnelbus.home}/pki/private/server.key",
                "tls.crypt = ${tunnelbus.home}/pki/tls-crypt.key");
        assertEquals(0, run("alice", "--home", home.toString()), stderr());
        String p = stdout();
        List<String> directives = p.lines().filter(l -> !l.startsWith("#") && !l.startsWith("<") && !l.isEmpty())
                .takeWhile(l -> !l.startsWith("-----")).toList();
        assertEquals(List.of("client", "dev tun", "proto udp", "remote vpn.example.org 1194", "resolv-retry infinite",
                "nobind", "explicit-exit-notify", "remote-cert-tls server", "verify-x509-name server name", "verb 3"), directives);
        assertTrue(p.contains("public.address in"), p);
        assertTrue(p.contains(config.resolve("org.tunnelbus.openvpn.server-default.cfg").toString()), p);
        assertEquals(KEY.strip(), block(p, "tls-crypt"));
        assertFalse(p.contains("<tls-auth>") || p.contains("key-direction"), p);
        assertTrue(block(p, "key").startsWith("-----BEGIN PRIVATE KEY-----"));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(block(p, "cert").getBytes(StandardCharsets.US_ASCII)));
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(block(p, "ca").getBytes(StandardCharsets.US_ASCII)));
        cert.verify(ca.getPublicKey());
        assertEquals("CN=alice", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getExtendedKeyUsage().contains(ProfileCommand.CLIENT_AUTH));
        assertTrue(stderr().contains("issued a client certificate for alice"), stderr());

        // again: the same certificate, no second one
        assertEquals(0, run("alice", "--home", home.toString()), stderr());
        assertEquals(block(p, "cert"), block(stdout(), "cert"));
        assertTrue(stderr().contains("alice already has a certificate"), stderr());
    }

    @Test
    void tlsAuthPublicPortAndLocalFallback() throws Exception {
        listener("default", "port = 1195", "public.address = 192.0.2.7:443", "tls.auth.direction = 0", "auth = SHA256",
                "tls.auth = " + home.resolve("pki/tls-crypt.key"));
        assertEquals(0, run("bob", "--home", home.toString()), stderr());
        String p = stdout();
        assertTrue(p.contains("\nremote 192.0.2.7 443\n"), p);
        assertTrue(p.contains("\nkey-direction 1\nauth SHA256\n"), p);
        assertEquals(KEY.strip(), block(p, "tls-auth"));
        assertFalse(p.contains("verify-x509-name"), p); // no cert configured: nothing to compare with

        listener("default", "tls.auth = " + home.resolve("pki/tls-crypt.key"), "public.address = h");
        assertEquals(0, run("bob", "--home", home.toString()), stderr());
        assertFalse(stdout().contains("key-direction") || stdout().contains("\nauth "), stdout()); // bidirectional, SHA1
        assertTrue(stdout().contains("<tls-auth>"), stdout());

        listener("default", "port = 1196", "listen = 198.51.100.1", "tls.crypt = " + home.resolve("pki/tls-crypt.key"));
        assertEquals(0, run("bob", "--home", home.toString()), stderr());
        assertTrue(stdout().contains("\nremote 198.51.100.1 1196\n"), stdout());
        assertTrue(stderr().contains("set public.address"), stderr());
    }

    @Test
    void refusals() throws Exception {
        assertEquals(64, run("--home", home.toString()));
        assertEquals(64, run("alice", "bob", "--home", home.toString()));
        assertEquals(1, run("alice", "--home", home.toString()));
        assertTrue(stderr().contains("no OpenVPN listener configured"), stderr());

        listener("default", "public.address = vpn.example.org", "tls.crypt = " + home.resolve("pki/missing.key"));
        assertEquals(1, run("alice", "--home", home.toString()));
        assertTrue(stderr().contains("does not exist yet"), stderr());

        listener("default", "public.address = vpn.example.org", "tls.crypt = " + home.resolve("pki/tls-crypt.key"));
        assertEquals(1, run("../etc", "--home", home.toString()));
        assertEquals(1, run("server", "--home", home.toString()));
        assertTrue(stderr().contains("not a client certificate"), stderr());

        listener("second", "public.address = other.example.org");
        assertEquals(0, run("carol", "--home", home.toString()), stderr()); // 'default' among several
        assertEquals(0, run("carol", "--home", home.toString(), "--listener", "second"), stderr());
        assertTrue(stdout().contains("\nremote other.example.org 1194\n"), stdout());
        assertEquals(1, run("carol", "--home", home.toString(), "--listener", "third"));

        Path empty = Files.createDirectories(home.resolve("empty/config"));
        Files.writeString(empty.resolve("org.tunnelbus.openvpn.server-default.cfg"), "public.address = x\n");
        assertEquals(1, run("alice", "--home", empty.getParent().toString()));
        assertTrue(stderr().contains("no CA in"), stderr());
    }
}
