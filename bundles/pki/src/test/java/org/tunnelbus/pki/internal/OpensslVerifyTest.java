package org.tunnelbus.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;

/**
 * The stock toolchain agrees: {@code openssl verify} (what OpenVPN's OpenSSL backend does) accepts the chain,
 * honours the CRL, and sees the purposes {@code remote-cert-tls} checks. Skipped when there is no openssl.
 */
class OpensslVerifyTest {
    @TempDir
    Path tmp;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void needOpenssl() {
        boolean present = false;
        try {
            present = run(Path.of("."), "openssl", "version").exit() == 0;
        } catch (IOException e) {
            // absent
        }
        assumeTrue(present, "openssl is not installed: skipping the openssl cross-check");
    }

    static Result run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new IOException(String.join(" ", cmd) + ": no answer in 20 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroyForcibly(); // by its own handle, never by name
        }
    }

    private static Result openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return run(dir, cmd.toArray(String[]::new));
    }

    @Test
    void opensslVerifiesTheChainHonoursTheCrlAndSeesTheTlsPurposes() throws Exception {
        Path dir = tmp.resolve("pki");
        CertificateAuthority ca = CertificateAuthority.open(dir, CaPolicy.defaults());
        ca.ensureCa();
        IssuedCertificate server = ca.issueServer("vpn.example.com");
        IssuedCertificate alice = ca.issueClient("alice");
        IssuedCertificate bob = ca.issueClient("bob");

        Result s = openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "issued/vpn.example.com.crt");
        assertEquals(0, s.exit(), s.output());
        assertTrue(s.output().contains("issued/vpn.example.com.crt: OK"), s.output());
        Result c = openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "-crl_check", "-CRLfile", "crl.pem",
                "issued/alice.crt");
        assertEquals(0, c.exit(), c.output());
        // a client certificate is no server certificate (what remote-cert-tls server rejects)
        Result wrong = openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "issued/alice.crt");
        assertNotEquals(0, wrong.exit(), wrong.output());

        Result text = openssl(dir, "x509", "-in", "issued/vpn.example.com.crt", "-noout", "-text");
        assertTrue(text.output().contains("TLS Web Server Authentication"), text.output());
        assertTrue(text.output().contains("Digital Signature"), text.output());
        assertTrue(text.output().contains("DNS:vpn.example.com"), text.output());
        Result caText = openssl(dir, "x509", "-in", "ca.crt", "-noout", "-text");
        assertTrue(caText.output().contains("CA:TRUE"), caText.output());
        assertTrue(caText.output().contains("Certificate Sign, CRL Sign"), caText.output());

        // the key files are what openssl reads, and they match their certificates
        Result keyPub = openssl(dir, "pkey", "-in", "private/alice.key", "-pubout");
        Result certPub = openssl(dir, "x509", "-in", "issued/alice.crt", "-noout", "-pubkey");
        assertEquals(0, keyPub.exit(), keyPub.output());
        assertEquals(certPub.output(), keyPub.output());

        Path bobCert = tmp.resolve("bob.crt");
        Files.writeString(bobCert, bob.certificatePem());
        ca.revoke("bob");
        Result revoked = openssl(dir, "verify", "-CAfile", "ca.crt", "-crl_check", "-CRLfile", "crl.pem", bobCert.toString());
        assertNotEquals(0, revoked.exit(), revoked.output());
        assertTrue(revoked.output().contains("certificate revoked"), revoked.output());
        Result stillOk = openssl(dir, "verify", "-CAfile", "ca.crt", "-crl_check", "-CRLfile", "crl.pem", "issued/alice.crt");
        assertEquals(0, stillOk.exit(), stillOk.output());
        Result crlText = openssl(dir, "crl", "-in", "crl.pem", "-noout", "-text");
        assertTrue(crlText.output().toLowerCase().contains(bob.certificate().getSerialNumber().toString(16)), crlText.output());
        assertTrue(server.certificate() != null);
    }
}
