package org.tunnelbus.tls.bouncycastle.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsFatalAlert;
import org.tunnelbus.api.tls.TlsRole;

/**
 * What the Bouncy Castle peer callbacks learn during one handshake, for the engine to report: whether it
 * completed, the verified peer chain, why the peer was refused (the engine reports this reason rather
 * than the bare alert), and the session's exporter.
 */
final class Outcome {
    volatile boolean handshakeDone;
    volatile String refusal;
    volatile List<X509Certificate> verified = List.of();
    volatile RetainedExporter exporter;

    /** The handshake completed: keep the exporter (the protocol wipes its secrets right after this). */
    void complete(org.bouncycastle.tls.TlsContext context) {
        exporter = RetainedExporter.capture(context);
        handshakeDone = true;
    }

    /** Verifies the peer's chain; on refusal remembers the reason and raises the matching fatal alert. */
    void verify(PeerVerifier verifier, Certificate peer, TlsRole peerRole) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < peer.getLength(); i++) {
                chain.add((X509Certificate) cf.generateCertificate(
                        new ByteArrayInputStream(peer.getCertificateAt(i).getEncoded())));
            }
        } catch (CertificateException e) {
            throw refuse(AlertDescription.bad_certificate, "peer certificate cannot be parsed: " + e.getMessage(), e);
        }
        try {
            verified = verifier.verify(chain, peerRole);
        } catch (PeerVerifier.PeerCertificateException e) {
            short alert = e.expired() ? AlertDescription.certificate_expired
                    : e.unknownCa() ? AlertDescription.unknown_ca
                    : e.getMessage().contains("key usage") ? AlertDescription.unsupported_certificate
                    : AlertDescription.bad_certificate;
            throw refuse(alert, e.getMessage(), e);
        }
    }

    TlsFatalAlert refuse(short alert, String reason, Throwable cause) {
        refusal = reason;
        return new TlsFatalAlert(alert, reason, cause);
    }
}
