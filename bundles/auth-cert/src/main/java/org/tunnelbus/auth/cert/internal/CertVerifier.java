package org.tunnelbus.auth.cert.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.tunnelbus.api.auth.AuthResult;

/**
 * Decides on one peer certificate chain with the settings of one configuration. The checks run in an order
 * that gives the most precise reason first, and the JDK's PKIX validator runs last as the definitive check of
 * the whole path (signatures, validity, CA constraints):
 *
 * <ol>
 * <li>a chain at all; the configured CA certificates at its end are dropped (clients often send them);</li>
 * <li>the issuer of the topmost certificate is a configured CA and its signature verifies with that CA's key;</li>
 * <li>every certificate (and the CA) is within its validity at the clock's now;</li>
 * <li>with a CRL: the CRL is not past its nextUpdate (stock OpenSSL refuses then too), the leaf and every
 *     certificate issued by the CRL's issuer are not listed, and the leaf's issuer has a CRL;</li>
 * <li>PKIX from the configured CA (revocation done above);</li>
 * <li>the required EKU, then verify-x509-name;</li>
 * <li>accepted as the leaf's common name.</li>
 * </ol>
 *
 * Stateless apart from the settings' watched files; thread-safe.
 */
final class CertVerifier {
    private final CertAuthSettings settings;
    private final Clock clock;

    CertVerifier(CertAuthSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    CertAuthSettings settings() {
        return settings;
    }

    AuthResult verify(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            return AuthResult.refuse("no client certificate");
        }
        List<X509Certificate> cas = settings.ca.current();
        X509Certificate leaf = chain.get(0);
        String cn = X509Names.commonName(leaf);
        String label = "certificate " + (cn != null ? "CN=" + cn : X509Names.display(leaf.getSubjectX500Principal()));

        List<X509Certificate> path = new ArrayList<>(chain);
        while (!path.isEmpty() && cas.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        if (path.isEmpty()) {
            return AuthResult.refuse(label + " is the configured CA itself, not a client certificate");
        }

        // 2. the issuer
        X509Certificate top = path.get(path.size() - 1);
        X509Certificate anchor = null;
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                anchor = ca;
                break;
            }
        }
        String issuer = X509Names.display(top.getIssuerX500Principal());
        if (anchor == null) {
            return AuthResult.refuse("issuer " + issuer + " is not the configured CA");
        }
        try {
            top.verify(anchor.getPublicKey());
        } catch (GeneralSecurityException e) {
            return AuthResult.refuse("issuer " + issuer + " is not the configured CA (same name, but the signature "
                    + "does not verify with the key of " + settings.ca.file() + ")");
        }

        // 3. validity
        Instant now = clock.instant();
        for (X509Certificate c : path) {
            String what = c == leaf ? label : "issuer certificate " + X509Names.display(c.getSubjectX500Principal());
            if (now.isAfter(c.getNotAfter().toInstant())) {
                return AuthResult.refuse(what + " expired " + c.getNotAfter().toInstant());
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                return AuthResult.refuse(what + " is not valid before " + c.getNotBefore().toInstant());
            }
        }
        if (now.isAfter(anchor.getNotAfter().toInstant())) {
            return AuthResult.refuse("the configured CA " + X509Names.display(anchor.getSubjectX500Principal())
                    + " expired " + anchor.getNotAfter().toInstant());
        }

        // 4. revocation
        if (settings.crl != null) {
            X509CRL crl = settings.crl.current();
            String refusal = revocation(crl, path, leaf, label, now);
            if (refusal != null) {
                return AuthResult.refuse(refusal);
            }
        }

        // 5. the whole path, as the JDK's PKIX validator sees it
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    params);
        } catch (CertPathValidatorException e) {
            return AuthResult.refuse(label + " rejected by PKIX: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return AuthResult.refuse(label + " cannot be validated: " + e.getMessage());
        }

        // 6. purpose and name
        if (settings.eku != null) {
            String refusal = settings.eku.check(leaf);
            if (refusal != null) {
                return AuthResult.refuse(refusal);
            }
        }
        if (cn == null) {
            return AuthResult.refuse(label + " has no CN to name the client");
        }
        if (settings.name != null) {
            String refusal = settings.name.check(leaf, cn);
            if (refusal != null) {
                return AuthResult.refuse(refusal);
            }
        }
        return AuthResult.accept(cn);
    }

    private String revocation(X509CRL crl, List<X509Certificate> path, X509Certificate leaf, String label, Instant now) {
        String file = settings.crl.file().toString();
        if (crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant())) {
            return "the CRL " + file + " expired " + crl.getNextUpdate().toInstant()
                    + " (past its nextUpdate; re-sign it, e.g. by restarting the CA or revoking)";
        }
        for (X509Certificate c : path) {
            if (!c.getIssuerX500Principal().equals(crl.getIssuerX500Principal())) {
                if (c == leaf) {
                    return "no CRL for the issuer " + X509Names.display(c.getIssuerX500Principal()) + " of " + label
                            + " (" + file + " is from " + X509Names.display(crl.getIssuerX500Principal()) + ")";
                }
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(c.getSerialNumber());
            if (entry != null) {
                String what = c == leaf ? label : "issuer certificate " + X509Names.display(c.getSubjectX500Principal());
                return what + " revoked (serial " + X509Names.serial(c) + ")";
            }
        }
        return null;
    }
}
