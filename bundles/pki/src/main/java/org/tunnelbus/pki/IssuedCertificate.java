package org.tunnelbus.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the CA issued, with its private key: what goes into a server's configuration or a
 * client's profile ({@code <ca>}, {@code <cert>}, {@code <key>}).
 *
 * <p>{@link #toString()} never shows the key.
 *
 * @param name           the certificate's name (its CN)
 * @param chain          leaf first, then the CA certificate
 * @param certificatePem the leaf certificate, PEM
 * @param caPem          the CA certificate, PEM
 * @param privateKeyPem  the leaf's private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 * @param certificateFile where the leaf certificate is stored
 * @param privateKeyFile  where the private key is stored (mode 0600)
 */
public record IssuedCertificate(String name, List<X509Certificate> chain, String certificatePem, String caPem,
        String privateKeyPem, Path certificateFile, Path privateKeyFile) {
    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Leaf then CA certificate, PEM: what a {@code cert} file with its chain holds. */
    public String chainPem() {
        return certificatePem + caPem;
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + name + ", serial " + certificate().getSerialNumber().toString(16) + ", until "
                + certificate().getNotAfter().toInstant() + ", " + certificateFile + "]";
    }
}
