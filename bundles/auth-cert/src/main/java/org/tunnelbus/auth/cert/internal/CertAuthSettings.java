package org.tunnelbus.auth.cert.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A validated configuration: the CA file (one or more CA certificates, PEM or DER, re-read on change), the
 * optional CRL file (re-read on change, accepted only if signed by a configured CA), the name check and the
 * required EKU. Built whole or refused with a {@link ConfigException}.
 */
final class CertAuthSettings {
    final WatchedFile<List<X509Certificate>> ca;
    final WatchedFile<X509CRL> crl;
    final NameCheck name;
    final EkuRequirement eku;

    private CertAuthSettings(WatchedFile<List<X509Certificate>> ca, WatchedFile<X509CRL> crl, NameCheck name,
            EkuRequirement eku) {
        this.ca = ca;
        this.crl = crl;
        this.name = name;
        this.eku = eku;
    }

    static CertAuthSettings from(CertAuthConfig c) throws ConfigException {
        String caPath = c.ca().trim();
        if (caPath.isEmpty()) {
            throw new ConfigException("ca", "not set (path of the CA certificate that client certificates must chain to)");
        }
        WatchedFile<List<X509Certificate>> ca;
        try {
            ca = new WatchedFile<>("CA file", Paths.get(caPath), CertAuthSettings::readCas);
        } catch (IOException e) {
            throw new ConfigException("ca", "cannot use " + caPath + ": " + WatchedFile.reason(e));
        }
        WatchedFile<X509CRL> crl = null;
        String crlPath = c.crl().trim();
        if (!crlPath.isEmpty()) {
            WatchedFile<List<X509Certificate>> anchors = ca;
            try {
                crl = new WatchedFile<>("CRL", Paths.get(crlPath), f -> readCrl(f, anchors.current()));
            } catch (IOException e) {
                throw new ConfigException("crl", "cannot use " + crlPath + ": " + WatchedFile.reason(e));
            }
        }
        NameCheck name = null;
        String value = c.verify_x509_name().trim();
        NameCheck.Type type;
        try {
            type = NameCheck.Type.parse(c.verify_x509_type());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("verify.x509.type", e.getMessage());
        }
        if (!value.isEmpty()) {
            name = new NameCheck(value, type);
        }
        EkuRequirement eku;
        try {
            eku = EkuRequirement.parse(c.require_eku());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("require.eku", e.getMessage());
        }
        return new CertAuthSettings(ca, crl, name, eku);
    }

    /** Every certificate of a PEM bundle or DER file; at least one, each a CA. */
    static List<X509Certificate> readCas(Path file) throws IOException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("not a certificate file: " + e.getMessage(), e);
        }
        List<X509Certificate> l = new ArrayList<>();
        for (Certificate cert : certs) {
            X509Certificate x = (X509Certificate) cert;
            if (x.getBasicConstraints() < 0 && !x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
                throw new IOException("the certificate " + X509Names.display(x.getSubjectX500Principal())
                        + " is not a CA (no basicConstraints CA:TRUE)");
            }
            l.add(x);
        }
        if (l.isEmpty()) {
            throw new IOException("no certificate in the file");
        }
        return List.copyOf(l);
    }

    /** A CRL (PEM or DER) signed by one of {@code cas}. */
    static X509CRL readCrl(Path file, List<X509Certificate> cas) throws IOException {
        CRL crl;
        try (InputStream in = Files.newInputStream(file)) {
            crl = CertificateFactory.getInstance("X.509").generateCRL(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("not a CRL: " + e.getMessage(), e);
        }
        if (!(crl instanceof X509CRL x)) {
            throw new IOException("not an X.509 CRL");
        }
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
                try {
                    x.verify(ca.getPublicKey());
                    return x;
                } catch (GeneralSecurityException e) {
                    throw new IOException("its signature does not verify with the configured CA "
                            + X509Names.display(ca.getSubjectX500Principal()));
                }
            }
        }
        throw new IOException("it is issued by " + X509Names.display(x.getIssuerX500Principal())
                + ", not by the configured CA");
    }

    @Override
    public String toString() {
        return "ca " + ca.file() + (crl == null ? "" : ", crl " + crl.file())
                + (name == null ? "" : ", verify-x509-name " + name) + (eku == null ? "" : ", eku " + eku);
    }
}
