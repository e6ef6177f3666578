package org.tunnelbus.api.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Everything an engine needs for one handshake.
 *
 * @param role          client or server
 * @param trustAnchors  CA certificates that peer chains must lead to
 * @param chain         our certificate chain (leaf first); empty for a client without a certificate
 * @param key           the private key of {@code chain}'s leaf, or null
 * @param minVersion    lowest TLS version accepted: {@code "1.2"} or {@code "1.3"}
 * @param requirePeerCertificate server side: refuse clients without a certificate
 * @param requestPeerCertificate server side: ask the client for a certificate at all (a CertificateRequest).
 *        False only for OpenVPN's {@code verify-client-cert none}: no certificate is asked for, so none is
 *        sent or verified. Implied by {@code requirePeerCertificate}.
 */
public record TlsSpec(TlsRole role, List<X509Certificate> trustAnchors, List<X509Certificate> chain,
        PrivateKey key, String minVersion, boolean requirePeerCertificate, boolean requestPeerCertificate) {
    public TlsSpec {
        trustAnchors = List.copyOf(trustAnchors);
        chain = List.copyOf(chain);
        requestPeerCertificate = requestPeerCertificate || requirePeerCertificate;
    }

    /** A spec that asks for a peer certificate (and requires one if {@code requirePeerCertificate}). */
    public TlsSpec(TlsRole role, List<X509Certificate> trustAnchors, List<X509Certificate> chain, PrivateKey key,
            String minVersion, boolean requirePeerCertificate) {
        this(role, trustAnchors, chain, key, minVersion, requirePeerCertificate, true);
    }

    @Override
    public String toString() { // never print the key
        return "TlsSpec[" + role + ", " + chain.size() + " certs, min TLS " + minVersion + "]";
    }
}
