package org.tunnelbus.tls.jsse.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tunnelbus.api.tls.TlsRole;

/**
 * Verifies a peer's certificate chain against the session's trust anchors, as OpenSSL does for a stock
 * OpenVPN peer: PKIX path validation (validity dates, signatures, basic constraints, CA key usage, name
 * constraints, algorithm constraints; no revocation, which is the auth box's business, e.g. a CRL), then the
 * leaf's purpose (extended key usage serverAuth/clientAuth and key usage, each when present).
 *
 * <p>Failures are {@link PeerCertificateException}s whose message is one line for the log that names what
 * is wrong and with which certificate.
 */
final class PeerVerifier {
    private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";
    private static final int MAX_CHAIN = 10;

    private final List<X509Certificate> anchors;

    PeerVerifier(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    List<X509Certificate> anchors() {
        return anchors;
    }

    /**
     * @param chain    the peer's certificates as sent, leaf first (order of the rest does not matter)
     * @param peerRole the role of the peer: a server needs serverAuth, a client clientAuth
     * @return the validated path: leaf first, up to and including the trust anchor
     */
    List<X509Certificate> verify(List<X509Certificate> chain, TlsRole peerRole) throws PeerCertificateException {
        if (chain.isEmpty()) {
            throw new PeerCertificateException("peer sent no certificate", null);
        }
        if (anchors.isEmpty()) {
            throw new PeerCertificateException("no trust anchors configured: cannot verify the peer certificate "
                    + subject(chain.get(0)), null);
        }
        List<X509Certificate> path = order(chain);
        CertPath certPath;
        PKIXCertPathValidatorResult result;
        try {
            Set<TrustAnchor> trust = new LinkedHashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false);
            params.setDate(new Date());
            certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new PeerCertificateException(explain(e, path), e);
        } catch (GeneralSecurityException e) {
            throw new PeerCertificateException("peer certificate " + subject(chain.get(0)) + " could not be checked: "
                    + e.getMessage(), e);
        }
        X509Certificate leaf = path.get(0);
        checkPurpose(leaf, peerRole);
        List<X509Certificate> verified = new ArrayList<>(path);
        X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
        if (anchor != null && !verified.contains(anchor)) {
            verified.add(anchor);
        }
        return List.copyOf(verified);
    }

    /** Leaf first, then each certificate's issuer from the rest; certificates that are anchors are left out. */
    private List<X509Certificate> order(List<X509Certificate> chain) {
        List<X509Certificate> pool = new ArrayList<>();
        for (X509Certificate c : chain.subList(1, chain.size())) {
            if (!anchors.contains(c)) {
                pool.add(c);
            }
        }
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = chain.get(0);
        path.add(current);
        while (path.size() < MAX_CHAIN && !selfIssued(current) && !issuedByAnchor(current)) {
            X509Certificate next = null;
            for (X509Certificate c : pool) {
                if (c.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            pool.remove(next);
            path.add(next);
            current = next;
        }
        return path;
    }

    private boolean issuedByAnchor(X509Certificate c) {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                return true;
            }
        }
        return false;
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    private static String explain(CertPathValidatorException e, List<X509Certificate> path) {
        int index = e.getIndex();
        X509Certificate at = index >= 0 && index < path.size() ? path.get(index) : path.get(0);
        String which = index > 0 ? "peer CA certificate " : "peer certificate ";
        String who = subject(at);
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == BasicReason.EXPIRED) {
            return which + "expired: " + who + " (not after " + at.getNotAfter().toInstant() + ")";
        }
        if (reason == BasicReason.NOT_YET_VALID) {
            return which + "not yet valid: " + who + " (not before " + at.getNotBefore().toInstant() + ")";
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            X509Certificate last = path.get(path.size() - 1);
            return "peer certificate not issued by a trusted CA: " + subject(path.get(0)) + " chains to "
                    + last.getIssuerX500Principal().getName() + ", which is not a trust anchor";
        }
        if (reason == BasicReason.INVALID_SIGNATURE) {
            return which + "signature does not verify: " + who;
        }
        if (reason == PKIXReason.NOT_CA_CERT) {
            return "peer certificate chain: " + who + " is not a CA (basic constraints)";
        }
        if (reason == PKIXReason.INVALID_KEY_USAGE) {
            return "peer certificate chain: " + who + " may not sign certificates (key usage)";
        }
        if (reason == PKIXReason.PATH_TOO_LONG) {
            return "peer certificate chain too long for the path length constraint at " + who;
        }
        if (reason == BasicReason.ALGORITHM_CONSTRAINED) {
            return which + "uses a disallowed algorithm: " + who;
        }
        return which + "rejected: " + who + ": " + e.getMessage();
    }

    /** The leaf's purpose, as OpenSSL's ssl_server/ssl_client purposes check it. */
    private static void checkPurpose(X509Certificate leaf, TlsRole peerRole) throws PeerCertificateException {
        String purpose = peerRole == TlsRole.SERVER ? "serverAuth" : "clientAuth";
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new PeerCertificateException("peer certificate " + subject(leaf)
                    + " has a malformed extended key usage", e);
        }
        if (eku != null && !eku.contains(EKU_ANY)
                && !eku.contains(peerRole == TlsRole.SERVER ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH)) {
            throw new PeerCertificateException("peer certificate " + subject(leaf)
                    + " is not for TLS " + peerRole.name().toLowerCase() + " use: extended key usage lacks " + purpose,
                    null);
        }
        boolean[] ku = leaf.getKeyUsage(); // 0 digitalSignature, 2 keyEncipherment, 4 keyAgreement
        if (ku != null) {
            boolean ok = bit(ku, 0) || bit(ku, 4) || peerRole == TlsRole.SERVER && bit(ku, 2);
            if (!ok) {
                throw new PeerCertificateException("peer certificate " + subject(leaf) + " is not for TLS "
                        + peerRole.name().toLowerCase() + " use: key usage lacks digitalSignature", null);
            }
        }
    }

    private static boolean bit(boolean[] bits, int i) {
        return bits.length > i && bits[i];
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    /** A refused peer certificate; the message is the reason, one line. */
    static final class PeerCertificateException extends CertificateException {
        private static final long serialVersionUID = 1L;

        PeerCertificateException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
