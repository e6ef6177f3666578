package org.tunnelbus.openvpn.internal.server;

import org.tunnelbus.openvpn.internal.config.Pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/** Validation of the listener configuration, its files, generated static keys, and PEM key forms. */
class ServerSettingsTest {
    private Path dir;
    private Map<String, Object> good;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-settings-");
        CertificateAuthority ca = CertificateAuthority.open(dir.resolve("pki"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("server");
        good = new HashMap<>(Map.of("ca", ca.caCertificateFile().toString(), "cert", server.certificateFile().toString(),
                "key", server.privateKeyFile().toString()));
    }

    @AfterEach
    void tearDown() throws Exception {
        ServerHarness.delete(dir);
    }

    @Test
    void defaults() {
        ServerSettings s = ServerSettings.from(good);
        assertEquals(1194, s.listen().getPort());
        assertEquals("0.0.0.0", s.listen().getAddress().getHostAddress());
        assertEquals("bouncycastle", s.tlsProvider());
        assertEquals(ServerSettings.Wrapping.NONE, s.wrapping());
        assertEquals(3600, s.renegSeconds());
        assertEquals(2000, s.tlsTimeoutMillis());
        assertEquals("V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-server",
                s.optionsString(), "the options string of a stock 2.6 server (§4)");
        assertTrue(s.maxTlsChunk() > 1000 && s.maxTlsChunk() < 1250);
        assertTrue(s.requiredSchemes().isEmpty());
    }

    @Test
    void tcpIsAcceptedAndAnnouncedAsATcpServer() throws Exception {
        Map<String, Object> tcp = new HashMap<>(good);
        tcp.put("proto", "TCP");
        ServerSettings s = ServerSettings.from(tcp);
        assertEquals("tcp", s.proto());
        assertEquals("V4,dev-type tun,link-mtu 1543,tun-mtu 1500,proto TCPv4_SERVER,auth SHA1,keysize 128,key-method 2,"
                + "tls-server", s.optionsString(), "stock 2.6 --proto tcp-server: 2 more bytes of link-mtu (§4)");
        assertFalse(s.sameSocket(ServerSettings.from(good)), "udp and tcp on one port are two sockets");
    }

    @Test
    void everyProblemNamesItsProperty() {
        Map<String, Object> bad = new HashMap<>(good);
        bad.put("port", "70000");
        bad.put("proto", "sctp");
        bad.put("listen", "vpn.example.org");
        bad.put("auth", "MD4");
        bad.put("tls.version.min", "1.1");
        bad.put("hand.window", "x");
        ServerSettings.Invalid e = assertThrows(ServerSettings.Invalid.class, () -> ServerSettings.from(bad));
        for (String p : new String[] {"'port'", "'proto'", "'listen'", "'auth'", "'tls.version.min'", "'hand.window'"}) {
            assertTrue(e.getMessage().contains("property " + p), e.getMessage());
        }
        assertFalse(e.onlyMissingFiles());
    }

    @Test
    void handshakeModeIsPushByDefaultAgreementOnRequestAndNothingElse() {
        assertEquals("push", ServerSettings.from(good).handshakeMode());
        Map<String, Object> agreement = new HashMap<>(good);
        agreement.put("handshake.mode", "Agreement");
        ServerSettings s = ServerSettings.from(agreement);
        assertEquals("agreement", s.handshakeMode());
        assertTrue(s.toString().endsWith(", handshake agreement"), s.toString());
        Map<String, Object> bad = new HashMap<>(good);
        bad.put("handshake.mode", "pull");
        ServerSettings.Invalid e = assertThrows(ServerSettings.Invalid.class, () -> ServerSettings.from(bad));
        assertTrue(e.getMessage().contains("handshake.mode") && e.getMessage().contains("push or agreement"), e.getMessage());
    }

    @Test
    void missingCertificatesAreWorthWaitingFor() {
        Map<String, Object> late = new HashMap<>(good);
        late.put("cert", dir.resolve("issued/later.crt").toString());
        ServerSettings.Invalid e = assertThrows(ServerSettings.Invalid.class, () -> ServerSettings.from(late));
        assertTrue(e.onlyMissingFiles(), e.getMessage());
        Map<String, Object> none = new HashMap<>(good);
        none.remove("key");
        ServerSettings.Invalid e2 = assertThrows(ServerSettings.Invalid.class, () -> ServerSettings.from(none));
        assertFalse(e2.onlyMissingFiles());
        assertTrue(e2.getMessage().contains("property 'key': is required"), e2.getMessage());
    }

    @Test
    void aMissingStaticKeyIsGeneratedPrivately() throws Exception {
        Path key = dir.resolve("pki/keys/tls-crypt.key");
        Map<String, Object> c = new HashMap<>(good);
        c.put("tls.crypt", key.toString());
        ServerSettings s = ServerSettings.from(c);
        assertEquals(ServerSettings.Wrapping.TLS_CRYPT, s.wrapping());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertNotNull(StaticKeyFile.parse(Files.readString(key)));
        assertEquals(1, s.notes().size());
        String first = Files.readString(key);
        ServerSettings again = ServerSettings.from(c);
        assertEquals(first, Files.readString(key), "an existing key is never replaced");
        assertTrue(again.notes().isEmpty());
    }

    @Test
    void tlsAuthWithDirectionEntersTheOptionsString() {
        Map<String, Object> c = new HashMap<>(good);
        c.put("tls.auth", dir.resolve("ta.key").toString());
        c.put("tls.auth.direction", "0");
        c.put("auth", "SHA256");
        ServerSettings s = ServerSettings.from(c);
        assertEquals(ServerSettings.Wrapping.TLS_AUTH, s.wrapping());
        assertTrue(s.optionsString().contains(",keydir 0,"), s.optionsString());
        assertTrue(s.optionsString().contains(",tls-auth,"), s.optionsString());
        assertTrue(s.expectedClientOptions().contains(",keydir 1,"), s.expectedClientOptions());
        c.put("tls.auth.direction", "2");
        assertThrows(ServerSettings.Invalid.class, () -> ServerSettings.from(c));
    }

    @Test
    void requiredSchemesFromStringsOrArrays() {
        Map<String, Object> c = new HashMap<>(good);
        c.put("auth.required", "cert, userpass");
        assertEquals(2, ServerSettings.from(c).requiredSchemes().size());
        c.put("auth.required", new String[] {"cert"});
        assertEquals(1, ServerSettings.from(c).requiredSchemes().size());
    }

    /** easy-rsa and older tools write PKCS#1 RSA and SEC1 EC keys; the JDK alone reads only PKCS#8. */
    @Test
    void traditionalKeyFormats() throws Exception {
        assumeTrue(new File("/usr/bin/openssl").canExecute(), "no openssl");
        Path rsa = dir.resolve("rsa.pem");
        Path ec = dir.resolve("ec.pem");
        run("openssl", "genrsa", "-traditional", "-out", rsa.toString(), "2048");
        run("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", ec.toString());
        assertTrue(Files.readString(rsa).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(ec).contains("BEGIN EC PRIVATE KEY"));
        PrivateKey r = Pem.privateKey(Files.readString(rsa));
        PrivateKey e = Pem.privateKey(Files.readString(ec));
        assertEquals("RSA", r.getAlgorithm());
        assertEquals("EC", e.getAlgorithm());
        assertThrows(IllegalArgumentException.class, () -> Pem.privateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n"));
        assertThrows(IllegalArgumentException.class, () -> Pem.certificates("no pem here"));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @Test
    void verifyClientCertFollowsStock() {
        ServerSettings require = ServerSettings.from(good);
        assertEquals(ClientCertPolicy.REQUIRE, require.clientCert());
        assertTrue(require.tlsSpec().requirePeerCertificate() && require.tlsSpec().requestPeerCertificate());
        good.put("verify.client.cert", "optional");
        ServerSettings optional = ServerSettings.from(good);
        assertFalse(optional.tlsSpec().requirePeerCertificate());
        assertTrue(optional.tlsSpec().requestPeerCertificate());
        good.put("verify.client.cert", "NONE");
        ServerSettings none = ServerSettings.from(good);
        assertFalse(none.tlsSpec().requestPeerCertificate(), "none: no certificate is asked for");
        assertTrue(none.toString().contains("verify-client-cert none"), none.toString());
        good.put("verify.client.cert", "sometimes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(good)).getMessage()
                .contains("property 'verify.client.cert': 'sometimes' is not one of require, optional, none"));
        good.put("verify.client.cert", "none");
        good.put("auth.required", new String[] {"cert"});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(good)).getMessage()
                .contains("property 'auth.required': contains cert, but verify.client.cert is none"));
    }

    @Test
    void authGenToken() {
        assertFalse(ServerSettings.from(good).authGenToken());
        good.put("auth.gen.token", "true");
        good.put("auth.gen.token.lifetime", "86400");
        good.put("reneg.sec", 600);
        ServerSettings s = ServerSettings.from(good);
        assertTrue(s.authGenToken());
        assertEquals(86400, s.authGenTokenLifetime());
        assertEquals(600, s.authTokenRenewalSeconds());
        assertTrue(s.toString().contains("auth-gen-token lifetime 86400 s"), s.toString());
        good.put("auth.gen.token", "yes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(good)).getMessage()
                .contains("property 'auth.gen.token': 'yes' is not true or false"));
    }
}
