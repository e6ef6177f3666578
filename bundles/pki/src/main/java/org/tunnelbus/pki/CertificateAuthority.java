package org.tunnelbus.pki;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A certificate authority kept in a state directory: EC P-256 keys, SHA-256 ECDSA signatures, random
 * 128-bit serials, a CRL re-signed on every revocation. Keys are written mode 0600.
 *
 * <p><b>Implemented by</b> this bundle, registered as a service (configuration PID {@code org.tunnelbus.pki})
 * and available without a framework through {@link #open(Path, CaPolicy)} for command-line tools.
 * <b>Called by</b> the first start of a server (its own certificate) and {@code bin/tunnelbus profile NAME}
 * (a client's). Thread-safe; mutations also take a file lock in the state directory, so two processes
 * sharing it do not interleave.
 *
 * <p>Certificate names are one namespace for servers and clients: 1 to 64 characters of
 * {@code A-Z a-z 0-9 . _ - @}, starting with a letter or digit. A name has at most one valid certificate;
 * revoke it before issuing another.
 */
@ProviderType
public interface CertificateAuthority {
    /** Creates the CA (key, self-signed certificate, empty CRL) if the directory has none; returns its certificate. */
    X509Certificate ensureCa() throws PkiException;

    /**
     * Issues a server certificate: EKU serverAuth ("TLS Web Server Authentication", what a stock client's
     * {@code remote-cert-tls server} requires), key usage digitalSignature, SAN DNS name when the CN is a
     * host name.
     */
    IssuedCertificate issueServer(String commonName) throws PkiException;

    /** Issues a client certificate: EKU clientAuth, key usage digitalSignature. */
    IssuedCertificate issueClient(String name) throws PkiException;

    /** The valid (issued, not revoked) certificate of {@code name} with its key, if there is one. */
    Optional<IssuedCertificate> find(String name) throws PkiException;

    /** Revokes the valid certificate of {@code name} and writes the new CRL, which it returns. */
    X509CRL revoke(String name) throws PkiException;

    /** The current CRL. */
    X509CRL crl() throws PkiException;

    /** The CA certificate file (PEM), for an authenticator's {@code ca} setting. */
    Path caCertificateFile();

    /** The CRL file (PEM), replaced atomically on every change, for {@code crl-verify} or {@code crl}. */
    Path crlFile();

    /** A certificate authority in {@code directory} without a framework (the service uses the same class). */
    static CertificateAuthority open(Path directory, CaPolicy policy) {
        return new org.tunnelbus.pki.internal.FileCertificateAuthority(directory, policy);
    }
}
