package org.tunnelbus.tls.jsse.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.tunnelbus.api.tls.TlsRole;

/**
 * The trust manager of one engine: verifies the peer's chain with {@link PeerVerifier} and remembers the
 * verified path, or the reason it was refused (JSSE only reports "certificate_unknown"-style exceptions,
 * the engine reports this reason instead). No host name check: OpenVPN identifies peers by certificate
 * fields, which the auth box checks.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    private final PeerVerifier verifier;
    private volatile List<X509Certificate> verified = List.of();
    private volatile String refusal;

    PeerTrustManager(PeerVerifier verifier) {
        this.verifier = verifier;
    }

    /** The verified chain (leaf first, up to the anchor), or empty. */
    List<X509Certificate> verified() {
        return verified;
    }

    /** Why the peer's chain was refused, or null. */
    String refusal() {
        return refusal;
    }

    private void check(X509Certificate[] chain, TlsRole peerRole) throws CertificateException {
        try {
            verified = verifier.verify(chain == null ? List.of() : List.of(chain), peerRole);
        } catch (PeerVerifier.PeerCertificateException e) {
            refusal = e.getMessage();
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, TlsRole.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, TlsRole.SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, TlsRole.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, TlsRole.SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, TlsRole.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, TlsRole.SERVER);
    }

    /** The anchors' names go into the server's CertificateRequest (certificate_authorities), as OpenVPN does. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.anchors().toArray(X509Certificate[]::new);
    }
}
