package org.tunnelbus.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/** {@code tunnelbus revoke NAME}: the certificate goes on the home's CRL; a name without one is an error. */
class RevokeCommandTest {
    @TempDir
    Path home;

    @Test
    void revokesTheNamedCertificateIntoTheCrl() throws Exception {
        Files.createDirectories(home.resolve("config"));
        CertificateAuthority ca = CertificateAuthority.open(home.resolve("pki"), CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate alice = ca.issueClient("alice");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RevokeCommand cmd = new RevokeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, cmd.run(new String[] {"alice", "--home", home.toString()}), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Revoked alice (serial "), out.toString(StandardCharsets.UTF_8));
        X509CRL crl = CertificateAuthority.open(home.resolve("pki"), CaPolicy.defaults()).crl();
        assertTrue(crl.isRevoked(alice.certificate()), "alice is on the CRL");

        assertEquals(1, cmd.run(new String[] {"alice", "--home", home.toString()}), "revoked already: no valid certificate");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no valid certificate named 'alice'"), err.toString(StandardCharsets.UTF_8));
        assertEquals(64, cmd.run(new String[] {"--home", home.toString()}));
    }
}
