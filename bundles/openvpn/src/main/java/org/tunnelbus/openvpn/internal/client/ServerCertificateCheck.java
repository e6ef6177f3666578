package org.tunnelbus.openvpn.internal.client;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.tunnelbus.openvpn.internal.control.CommonName;

/**
 * What a client checks of the server certificate beyond the CA signature the TLS provider verified: the
 * TLS Web Server Authentication key usage ({@code --remote-cert-tls server}, so that another client's
 * certificate cannot pose as the server) and optionally the exact CN ({@code --verify-x509-name NAME name}).
 */
final class ServerCertificateCheck {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private ServerCertificateCheck() {
    }

    /** @return null if the chain passes, else why not */
    static String check(List<X509Certificate> chain, boolean requireServerAuth, String name) {
        if (chain.isEmpty()) {
            return "the server sent no certificate";
        }
        X509Certificate leaf = chain.get(0);
        if (requireServerAuth && !hasServerAuth(leaf)) {
            return "the server certificate lacks the TLS Web Server Authentication key usage (remote.cert.tls)";
        }
        if (!name.isEmpty() && !name.equals(CommonName.of(leaf))) {
            return "the server certificate's CN '" + CommonName.of(leaf) + "' is not '" + name + "' (verify.x509.name)";
        }
        return null;
    }

    private static boolean hasServerAuth(X509Certificate c) {
        try {
            List<String> eku = c.getExtendedKeyUsage();
            return eku != null && eku.contains(SERVER_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
