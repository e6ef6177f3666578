package org.tunnelbus.auth.cert.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/** Certificates made by the Tunnelbus CA (bundles/pki), checked as a server checks its clients. */
class CertAuthenticatorTest {
    static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40001);

    @TempDir
    static Path shared;

    static CertificateAuthority pki;
    static IssuedCertificate alice;
    static IssuedCertificate bob;
    static IssuedCertificate server;
    static IssuedCertificate expired;
    static IssuedCertificate eve;
    static IssuedCertificate mallory;

    @BeforeAll
    static void certificates() throws Exception {
        pki = CertificateAuthority.open(shared.resolve("pki"), CaPolicy.defaults());
        pki.ensureCa();
        alice = pki.issueClient("alice");
        bob = pki.issueClient("bob");
        server = pki.issueServer("server");
        // issued 400 days ago for 30 days, by the same CA
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(400)), ZoneOffset.UTC);
        expired = CertificateAuthority.open(shared.resolve("pki"),
                CaPolicy.defaults().withClock(past).withCertValidity(Duration.ofDays(30))).issueClient("old");
        // another CA, and another CA that only borrows our CA's name
        CertificateAuthority other = CertificateAuthority.open(shared.resolve("other"),
                new CaPolicy("Other CA", Duration.ofDays(3650), Duration.ofDays(825), Duration.ofDays(180), Clock.systemUTC()));
        eve = other.issueClient("eve");
        mallory = CertificateAuthority.open(shared.resolve("impostor"), CaPolicy.defaults()).issueClient("mallory");
    }

    static CertAuthConfig config(Map<String, Object> values) {
        return (CertAuthConfig) Proxy.newProxyInstance(CertAuthConfig.class.getClassLoader(),
                new Class<?>[] {CertAuthConfig.class}, (proxy, m, args) -> {
                    if (m.getName().equals("annotationType")) {
                        return CertAuthConfig.class;
                    }
                    Object v = values.get(m.getName().replace('_', '.'));
                    return v != null ? v : m.getDefaultValue();
                });
    }

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("ca", pki.caCertificateFile().toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Credentials creds(IssuedCertificate c) {
        return creds(List.of(c.certificate()));
    }

    static Credentials creds(List<X509Certificate> chain) {
        return new Credentials(chain, "", new char[0], Map.of(), PEER);
    }

    static CertAuthenticator auth(Map<String, Object> p) {
        return new CertAuthenticator(config(p), Map.of());
    }

    static String serial(IssuedCertificate c) {
        return c.certificate().getSerialNumber().toString(16);
    }

    @Test
    void acceptsAClientOfTheConfiguredCaAsItsCn() {
        CertAuthenticator a = auth(props("crl", pki.crlFile().toString()));
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)));
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice.chain())), "the CA sent along is fine");
    }

    @Test
    void refusesAClientOfAnotherCa() {
        CertAuthenticator a = auth(props());
        assertEquals(AuthResult.refuse("issuer CN=Other CA is not the configured CA"), a.authenticate(creds(eve)));
        assertEquals(AuthResult.refuse("issuer CN=Other CA is not the configured CA"), a.authenticate(creds(eve.chain())),
                "sending its own root along does not help");
        AuthResult impostor = a.authenticate(creds(mallory));
        assertFalse(impostor.accepted());
        assertTrue(impostor.reason().startsWith("issuer CN=Tunnelbus CA is not the configured CA (same name, but the "
                + "signature does not verify"), impostor.reason());
    }

    @Test
    void aRevocationWrittenDuringTheTestRefusesTheNextAuthenticationWithoutRestart() throws Exception {
        Path dir = Files.createTempDirectory(shared, "revoke");
        CertificateAuthority ca = CertificateAuthority.open(dir, CaPolicy.defaults());
        IssuedCertificate carol = ca.issueClient("carol");
        IssuedCertificate dave = ca.issueClient("dave");
        CertAuthenticator a = auth(Map.of("ca", ca.caCertificateFile().toString(), "crl", ca.crlFile().toString()));
        assertEquals(AuthResult.accept("carol"), a.authenticate(creds(carol)));

        ca.revoke("carol"); // rewrites crl.pem (atomic rename)

        assertEquals(AuthResult.refuse("certificate CN=carol revoked (serial " + serial(carol) + ")"),
                a.authenticate(creds(carol)));
        assertEquals(AuthResult.accept("dave"), a.authenticate(creds(dave)));
    }

    @Test
    void aCrlRewrittenInPlaceIsSeenToo() throws Exception {
        Path dir = Files.createTempDirectory(shared, "inplace");
        CertificateAuthority ca = CertificateAuthority.open(dir, CaPolicy.defaults());
        IssuedCertificate carol = ca.issueClient("carol");
        Path crl = dir.resolve("watched-crl.pem");
        Files.copy(ca.crlFile(), crl);
        CertAuthenticator a = auth(Map.of("ca", ca.caCertificateFile().toString(), "crl", crl.toString()));
        assertTrue(a.authenticate(creds(carol)).accepted());
        ca.revoke("carol");
        Files.write(crl, Files.readAllBytes(ca.crlFile())); // same inode, new content and size
        assertEquals(AuthResult.refuse("certificate CN=carol revoked (serial " + serial(carol) + ")"),
                a.authenticate(creds(carol)));
    }

    @Test
    void aBrokenCrlKeepsTheLastGoodOneAndIsReportedOnce() throws Exception {
        Path dir = Files.createTempDirectory(shared, "broken");
        CertificateAuthority ca = CertificateAuthority.open(dir, CaPolicy.defaults());
        IssuedCertificate carol = ca.issueClient("carol");
        IssuedCertificate dave = ca.issueClient("dave");
        ca.revoke("carol");
        CertAuthenticator a = auth(Map.of("ca", ca.caCertificateFile().toString(), "crl", ca.crlFile().toString()));
        String revoked = "certificate CN=carol revoked (serial " + serial(carol) + ")";
        assertEquals(AuthResult.refuse(revoked), a.authenticate(creds(carol)));

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Path tmp = dir.resolve("crl.tmp");
            Files.writeString(tmp, "-----BEGIN X509 CRL-----\nthis is not a CRL\n-----END X509 CRL-----\n");
            Files.move(tmp, ca.crlFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (int i = 0; i < 3; i++) {
                assertEquals(AuthResult.refuse(revoked), a.authenticate(creds(carol)), "last good CRL still applies");
                assertEquals(AuthResult.accept("dave"), a.authenticate(creds(dave)));
            }
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long lines = log.lines().filter(l -> l.contains("Cannot use CRL " + ca.crlFile())).count();
        assertEquals(1, lines, log);
        assertTrue(log.contains("keeping the last good one"), log);

        // a CRL from another CA is no good either
        Files.copy(shared.resolve("other/crl.pem"), ca.crlFile(), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(AuthResult.refuse(revoked), a.authenticate(creds(carol)));
        // and a good one is taken again
        ca.issueClient("erin");
        ca.revoke("dave");
        assertEquals(AuthResult.refuse("certificate CN=dave revoked (serial " + serial(dave) + ")"),
                a.authenticate(creds(dave)));
    }

    @Test
    void refusesAnExpiredCertificate() {
        AuthResult r = auth(props()).authenticate(creds(expired));
        assertEquals(AuthResult.refuse("certificate CN=old expired " + expired.certificate().getNotAfter().toInstant()), r);
    }

    @Test
    void refusesAStaleCrlAsStockOpenVpnDoes() throws Exception {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(200)); // CRL 180 days, certificates 825
        CertAuthenticator a = new CertAuthenticator(config(props("crl", pki.crlFile().toString())), Map.of(), later);
        AuthResult r = a.authenticate(creds(alice));
        assertFalse(r.accepted());
        assertTrue(r.reason().startsWith("the CRL " + pki.crlFile() + " expired "), r.reason());
    }

    @Test
    void refusesACertificateWithoutClientAuth() {
        assertEquals(AuthResult.refuse("EKU lacks clientAuth (has serverAuth)"), auth(props()).authenticate(creds(server)));
        // as OID, or switched off
        assertEquals(AuthResult.accept("server"),
                auth(props("require.eku", "1.3.6.1.5.5.7.3.1")).authenticate(creds(server)));
        assertEquals(AuthResult.accept("server"), auth(props("require.eku", "")).authenticate(creds(server)));
        assertEquals(AuthResult.refuse("EKU lacks serverAuth (has clientAuth)"),
                auth(props("require.eku", "TLS Web Server Authentication")).authenticate(creds(alice)));
    }

    @Test
    void verifyX509NameByCnAndPrefixAndSubject() {
        CertAuthenticator exact = auth(props("verify.x509.name", "bob", "verify.x509.type", "name"));
        assertEquals(AuthResult.refuse("CN alice does not match verify-x509-name bob"), exact.authenticate(creds(alice)));
        assertEquals(AuthResult.accept("bob"), exact.authenticate(creds(bob)));

        CertAuthenticator prefix = auth(props("verify.x509.name", "ali", "verify.x509.type", "name-prefix"));
        assertEquals(AuthResult.accept("alice"), prefix.authenticate(creds(alice)));
        assertEquals(AuthResult.refuse("CN bob does not start with verify-x509-name ali (name-prefix)"),
                prefix.authenticate(creds(bob)));

        CertAuthenticator subject = auth(props("verify.x509.name", "CN=alice")); // type defaults to subject
        assertEquals(AuthResult.accept("alice"), subject.authenticate(creds(alice)));
        assertEquals(AuthResult.refuse("subject CN=bob does not match verify-x509-name CN=alice (subject)"),
                subject.authenticate(creds(bob)));
    }

    @Test
    void opensslSubjectFormIsInEncodingOrder() {
        X500Principal p = new X500Principal("CN=alice,OU=VPN,O=Example\\, Inc.,C=DE");
        assertEquals("C=DE, O=Example, Inc., OU=VPN, CN=alice", X509Names.opensslSubject(p));
        NameCheck check = new NameCheck("CN=alice, OU=VPN, O=\"Example, Inc.\", C=DE", NameCheck.Type.SUBJECT);
        assertNotNull(check.toString());
    }

    @Test
    void noCertificateIsRefused() {
        assertEquals(AuthResult.refuse("no client certificate"), auth(props()).authenticate(creds(List.of())));
    }

    @Test
    void aMissingCaFileRefusesEveryoneUntilFixedThenKeepsTheLastGood() throws Exception {
        Path missing = shared.resolve("nope/ca.crt");
        CertAuthenticator a = auth(Map.of("ca", missing.toString()));
        assertEquals(AuthResult.refuse("certificate authentication is not configured (org.tunnelbus.auth.cert: property ca: "
                + "cannot use " + missing + ": no such file)"), a.authenticate(creds(alice)));

        a.modified(config(props()), Map.of());
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)));

        a.modified(config(Map.of("ca", missing.toString())), Map.of());
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)), "the last good configuration stays");
        a.modified(config(props("verify.x509.type", "cn")), Map.of());
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)));
        a.modified(config(props("crl", shared.resolve("other/crl.pem").toString())), Map.of());
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)), "a CRL of another CA is refused");
        a.modified(config(props("require.eku", "bogus purpose")), Map.of());
        assertEquals(AuthResult.accept("alice"), a.authenticate(creds(alice)));
    }

    @Test
    void configurationErrorsNameTheProperty() throws Exception {
        assertEquals("property verify.x509.type: 'cn' is not one of subject, name, name-prefix",
                error(props("verify.x509.type", "cn")));
        assertTrue(error(props("crl", shared.resolve("other/crl.pem").toString()))
                .startsWith("property crl: cannot use " + shared.resolve("other/crl.pem") + ": it is issued by CN=Other CA"));
        assertTrue(error(props("require.eku", "bogus")).startsWith("property require.eku: 'bogus' is neither an OID"));
        assertEquals("property ca: not set (path of the CA certificate that client certificates must chain to)",
                error(Map.of()));
        Path notCa = shared.resolve("alice-as-ca.crt");
        Files.writeString(notCa, alice.certificatePem());
        assertEquals("property ca: cannot use " + notCa + ": the certificate CN=alice is not a CA (no basicConstraints CA:TRUE)",
                error(Map.of("ca", notCa.toString())));
    }

    private static String error(Map<String, Object> p) {
        try {
            CertAuthSettings.from(config(p));
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void theCaFileIsReloadedWhenItChanges() throws Exception {
        Path ca = shared.resolve("rotating-ca.crt");
        Files.copy(pki.caCertificateFile(), ca, StandardCopyOption.REPLACE_EXISTING);
        CertAuthenticator a = auth(Map.of("ca", ca.toString()));
        assertTrue(a.authenticate(creds(alice)).accepted());
        Path tmp = shared.resolve("rotating-ca.tmp");
        Files.copy(shared.resolve("other/ca.crt"), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, ca, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(AuthResult.refuse("issuer CN=Tunnelbus CA is not the configured CA"), a.authenticate(creds(alice)));
        assertEquals(AuthResult.accept("eve"), a.authenticate(creds(eve)));
    }

    @Test
    void watchedFileReportsAndClearsItsProblem() throws Exception {
        Path f = shared.resolve("watched.txt");
        Files.writeString(f, "1");
        WatchedFile<Integer> w = new WatchedFile<>("number", f, p -> Integer.parseInt(Files.readString(p).trim()));
        assertEquals(1, w.current());
        Files.writeString(f, "two!");
        assertEquals(1, w.current());
        assertNotNull(w.problem());
        Files.writeString(f, "3");
        assertEquals(3, w.current());
        assertNull(w.problem());
    }
}
