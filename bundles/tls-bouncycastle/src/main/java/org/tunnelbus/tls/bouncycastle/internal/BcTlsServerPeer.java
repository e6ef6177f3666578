package org.tunnelbus.tls.bouncycastle.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Vector;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.tunnelbus.api.tls.TlsRole;

/**
 * Our side of a Bouncy Castle TLS server: serves the configured versions and suites (TLS 1.2 suites only
 * where they fit our key), asks for a client certificate (naming our trust anchors, as OpenVPN does) unless
 * the spec says not to (verify-client-cert none), refuses a client without one when the spec requires it, and
 * verifies the client's chain (which must be for clientAuth).
 */
final class BcTlsServerPeer extends DefaultTlsServer {
    private final ProtocolVersion[] versions;
    private final int[] suites;
    private final LocalCredentials credentials;
    private final PeerVerifier verifier;
    private final boolean requireClientCertificate;
    private final boolean requestClientCertificate;
    private final Outcome outcome;

    BcTlsServerPeer(BcTlsCrypto crypto, ProtocolVersion[] versions, int[] suites, LocalCredentials credentials,
            PeerVerifier verifier, boolean requireClientCertificate, boolean requestClientCertificate, Outcome outcome) {
        super(crypto);
        this.versions = versions;
        this.suites = suites;
        this.credentials = credentials;
        this.verifier = verifier;
        this.requireClientCertificate = requireClientCertificate;
        this.requestClientCertificate = requestClientCertificate || requireClientCertificate;
        this.outcome = outcome;
    }

    TlsContext tlsContext() {
        return context;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return versions.clone();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), suites);
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        return credentials.signer(context, (BcTlsCrypto) getCrypto(),
                context.getSecurityParametersHandshake().getClientSigAlgs(),
                TlsUtils.isTLSv13(context) ? TlsUtils.EMPTY_BYTES : null);
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        if (!requestClientCertificate) {
            return null; // verify-client-cert none: the client sends no certificate
        }
        Vector<?> sigAlgs = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        Vector<X500Name> authorities = new Vector<>();
        for (X509Certificate anchor : verifier.anchors()) {
            authorities.add(X500Name.getInstance(anchor.getSubjectX500Principal().getEncoded()));
        }
        if (TlsUtils.isTLSv13(context)) {
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, sigAlgs, null, authorities);
        }
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                sigAlgs, authorities);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            if (requireClientCertificate) {
                throw outcome.refuse(TlsUtils.isTLSv13(context) ? AlertDescription.certificate_required
                        : AlertDescription.handshake_failure, "peer sent no certificate, but one is required", null);
            }
            return;
        }
        outcome.verify(verifier, clientCertificate, TlsRole.CLIENT);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        outcome.complete(context);
    }
}
