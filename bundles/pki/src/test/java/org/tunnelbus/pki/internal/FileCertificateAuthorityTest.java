package org.tunnelbus.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.PkiException;

class FileCertificateAuthorityTest {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path tmp;

    private CertificateAuthority ca() {
        return CertificateAuthority.open(tmp.resolve("pki"), CaPolicy.defaults());
    }

    /** PKIX as a TLS server would check a client (or a client a server): anchored at the CA, with the CRL. */
    static void validate(IssuedCertificate leaf, X509Certificate ca, X509CRL crl, String eku) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        CertPath path = cf.generateCertPath(List.of(leaf.certificate()));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(true);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertTrue(leaf.certificate().getExtendedKeyUsage().contains(eku), "EKU " + eku);
    }

    @Test
    void caServerAndClientChainValidatesWithPkix() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate root = ca.ensureCa();
        IssuedCertificate server = ca.issueServer("vpn.example.com");
        IssuedCertificate client = ca.issueClient("alice");
        X509CRL crl = ca.crl();
        validate(server, root, crl, SERVER_AUTH);
        validate(client, root, crl, CLIENT_AUTH);
        assertEquals(List.of(server.certificate(), root), server.chain());
        assertEquals("CN=alice", client.certificate().getSubjectX500Principal().getName());
        assertEquals("CN=Tunnelbus CA", client.certificate().getIssuerX500Principal().getName());
        assertTrue(server.chainPem().startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(client.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
        assertFalse(client.toString().contains("PRIVATE"), "toString never shows the key");
    }

    @Test
    void profilesHaveTheExtensionsStockOpenVpnChecks() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate root = ca.ensureCa();
        assertEquals(Integer.MAX_VALUE, root.getBasicConstraints(), "CA:TRUE without path length");
        assertTrue(root.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
        boolean[] ku = root.getKeyUsage();
        assertTrue(ku[5] && ku[6], "keyCertSign and cRLSign");
        assertFalse(ku[0]);

        X509Certificate server = ca.issueServer("vpn.example.com").certificate();
        assertEquals(-1, server.getBasicConstraints(), "CA:FALSE");
        assertTrue(server.getKeyUsage()[0], "digitalSignature (remote-cert-tls requires a key usage)");
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertEquals("vpn.example.com", server.getSubjectAlternativeNames().iterator().next().get(1));

        X509Certificate client = ca.issueClient("alice").certificate();
        assertEquals(List.of(CLIENT_AUTH), client.getExtendedKeyUsage());
        assertTrue(client.getKeyUsage()[0]);
        assertNull(client.getSubjectAlternativeNames());

        for (X509Certificate c : List.of(root, server, client)) {
            assertEquals("SHA256withECDSA", c.getSigAlgName());
            ECPublicKey k = (ECPublicKey) c.getPublicKey();
            assertEquals(256, k.getParams().getCurve().getField().getFieldSize(), "P-256");
            assertTrue(c.getSerialNumber().signum() > 0);
            assertTrue(c.getSerialNumber().bitLength() <= 128 && c.getSerialNumber().bitLength() > 64, "128 random bits");
        }
    }

    @Test
    void serialsAreUnique() throws Exception {
        CertificateAuthority ca = ca();
        Set<BigInteger> serials = new HashSet<>();
        serials.add(ca.ensureCa().getSerialNumber());
        for (int i = 0; i < 20; i++) {
            assertTrue(serials.add(ca.issueClient("c" + i).certificate().getSerialNumber()));
        }
    }

    @Test
    void revokedClientAppearsInTheCrlAndFailsPkix() throws Exception {
        CertificateAuthority ca = ca();
        X509Certificate root = ca.ensureCa();
        IssuedCertificate bob = ca.issueClient("bob");
        IssuedCertificate carol = ca.issueClient("carol");
        X509CRL before = ca.crl();
        X509CRL crl = ca.revoke("bob");
        assertNotNull(crl.getRevokedCertificate(bob.certificate().getSerialNumber()), "bob listed");
        assertNull(crl.getRevokedCertificate(carol.certificate().getSerialNumber()), "carol not listed");
        crl.verify(root.getPublicKey());
        assertEquals(crl, ca.crl(), "the file holds the new CRL");
        assertEquals(crlNumber(before).add(BigInteger.ONE), crlNumber(crl), "CRL number increases");
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(bob, root, crl, CLIENT_AUTH));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason());
        validate(carol, root, crl, CLIENT_AUTH);

        assertTrue(ca.find("bob").isEmpty(), "no valid certificate for bob any more");
        assertFalse(Files.exists(bob.privateKeyFile()), "the revoked key is deleted");
        assertTrue(Files.exists(tmp.resolve("pki/revoked/" + bob.certificate().getSerialNumber().toString(16) + ".crt")));
        PkiException again = assertThrows(PkiException.class, () -> ca.revoke("bob"));
        assertEquals("no valid certificate for bob to revoke", again.getMessage());

        IssuedCertificate bob2 = ca.issueClient("bob"); // a new certificate after revocation
        assertNotEquals(bob.certificate().getSerialNumber(), bob2.certificate().getSerialNumber());
        validate(bob2, root, ca.crl(), CLIENT_AUTH);
    }

    static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.ASN1Integer.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }

    @Test
    void keyFilesAre0600AndTheirDirectories0700() throws Exception {
        CertificateAuthority ca = ca();
        ca.ensureCa();
        IssuedCertificate alice = ca.issueClient("alice");
        IssuedCertificate server = ca.issueServer("server");
        Path dir = tmp.resolve("pki");
        for (Path key : List.of(dir.resolve("ca.key"), alice.privateKeyFile(), server.privateKeyFile())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.caCertificateFile())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.crlFile())));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), "no temporary file left");
        }
    }

    @Test
    void ensureCaIsIdempotentAcrossInstancesAndFindReturnsWhatWasIssued() throws Exception {
        X509Certificate first = ca().ensureCa();
        IssuedCertificate alice = ca().issueClient("alice");
        CertificateAuthority again = ca();
        assertEquals(first, again.ensureCa(), "same CA after a restart");
        IssuedCertificate found = again.find("alice").orElseThrow();
        assertEquals(alice.certificate(), found.certificate());
        assertEquals(alice.privateKeyPem(), found.privateKeyPem());
        assertTrue(again.find("nobody").isEmpty());
    }

    @Test
    void aSecondValidCertificateForOneNameIsRefused() throws Exception {
        CertificateAuthority ca = ca();
        ca.issueClient("alice");
        PkiException e = assertThrows(PkiException.class, () -> ca.issueServer("alice"));
        assertTrue(e.getMessage().startsWith("a valid certificate for alice exists (serial "), e.getMessage());
    }

    @Test
    void namesThatCouldEscapeTheDirectoryAreRefused() {
        CertificateAuthority ca = ca();
        for (String bad : new String[] {"../evil", "", ".hidden", "a/b", "x".repeat(65), "spa ce", null}) {
            PkiException e = assertThrows(PkiException.class, () -> ca.issueClient(bad), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("invalid certificate name"));
        }
    }

    @Test
    void aMissingOrForeignCaKeyIsReportedNotReplaced() throws Exception {
        ca().ensureCa();
        Path dir = tmp.resolve("pki");
        Path key = dir.resolve("ca.key");
        Files.move(key, dir.resolve("ca.key.bak"));
        PkiException missing = assertThrows(PkiException.class, () -> ca().ensureCa());
        assertTrue(missing.getMessage().contains("exists but its key " + key + " is missing"), missing.getMessage());

        // another CA's key in its place
        Path other = tmp.resolve("other");
        CertificateAuthority.open(other, CaPolicy.defaults()).ensureCa();
        Files.copy(other.resolve("ca.key"), key);
        PkiException foreign = assertThrows(PkiException.class, () -> ca().ensureCa());
        assertTrue(foreign.getMessage().contains("does not belong to the certificate"), foreign.getMessage());
    }

    @Test
    void anUnusableDirectoryIsNamedInTheError() throws Exception {
        Path file = Files.createFile(tmp.resolve("not-a-dir"));
        PkiException e = assertThrows(PkiException.class,
                () -> CertificateAuthority.open(file, CaPolicy.defaults()).ensureCa());
        assertEquals("cannot set up the CA in " + file + ": not a directory: " + file, e.getMessage());
    }

    @Test
    void validityFollowsThePolicyAndNeverOutlivesTheCa() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        CaPolicy policy = new CaPolicy("Short CA", Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(10),
                Clock.fixed(t0, ZoneOffset.UTC));
        CertificateAuthority ca = CertificateAuthority.open(tmp.resolve("short"), policy);
        X509Certificate root = ca.ensureCa();
        assertEquals(t0.plus(Duration.ofDays(30)), root.getNotAfter().toInstant());
        assertEquals(t0.minusSeconds(3600), root.getNotBefore().toInstant(), "backdated one hour for clock skew");
        X509Certificate c = ca.issueClient("alice").certificate();
        assertEquals(root.getNotAfter(), c.getNotAfter(), "capped at the CA's end");
        assertEquals(t0.plus(Duration.ofDays(10)), ca.crl().getNextUpdate().toInstant());
    }

    @Test
    void theCrlIsResignedAtStartWhenHalfItsValidityHasPassed() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        CaPolicy policy = new CaPolicy("CA", Duration.ofDays(3650), Duration.ofDays(90), Duration.ofDays(10),
                Clock.fixed(t0, ZoneOffset.UTC));
        Path dir = tmp.resolve("crl");
        CertificateAuthority.open(dir, policy).ensureCa();
        X509CRL first = CertificateAuthority.open(dir, policy).crl();

        CertificateAuthority fourDays = CertificateAuthority.open(dir, policy.withClock(Clock.fixed(t0.plus(Duration.ofDays(4)), ZoneOffset.UTC)));
        fourDays.ensureCa();
        assertEquals(first, fourDays.crl(), "not due yet");

        CertificateAuthority sixDays = CertificateAuthority.open(dir, policy.withClock(Clock.fixed(t0.plus(Duration.ofDays(6)), ZoneOffset.UTC)));
        sixDays.ensureCa();
        X509CRL next = sixDays.crl();
        assertEquals(t0.plus(Duration.ofDays(16)), next.getNextUpdate().toInstant());
        assertEquals(crlNumber(first).add(BigInteger.ONE), crlNumber(next));
    }

    @Test
    void theIndexRecordsIssueAndRevocation() throws Exception {
        CertificateAuthority ca = ca();
        IssuedCertificate a = ca.issueClient("alice");
        ca.issueServer("server");
        ca.revoke("alice");
        String index = Files.readString(tmp.resolve("pki/index.tsv"));
        CertIndex parsed = CertIndex.parse(index, "index.tsv");
        assertEquals(2, parsed.entries().size());
        CertIndex.Entry e = parsed.entries().get(0);
        assertTrue(e.revoked());
        assertEquals(a.certificate().getSerialNumber(), e.serial());
        assertEquals(CertIndex.Kind.CLIENT, e.kind());
        assertFalse(parsed.entries().get(1).revoked());
    }
}
