package org.tunnelbus.tls.bouncycastle.internal;

import java.io.IOException;

import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.tunnelbus.api.tls.TlsRole;

/**
 * Our side of a Bouncy Castle TLS client: offers the configured versions and suites, verifies the server's
 * chain (which must be for serverAuth), and presents our certificate when the server asks.
 * No session resumption: every OpenVPN key state runs a full handshake.
 */
final class BcTlsClientPeer extends DefaultTlsClient {
    private final ProtocolVersion[] versions;
    private final int[] suites;
    private final LocalCredentials credentials;
    private final PeerVerifier verifier;
    private final Outcome outcome;

    BcTlsClientPeer(BcTlsCrypto crypto, ProtocolVersion[] versions, int[] suites, LocalCredentials credentials,
            PeerVerifier verifier, Outcome outcome) {
        super(crypto);
        this.versions = versions;
        this.suites = suites;
        this.credentials = credentials;
        this.verifier = verifier;
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
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                outcome.verify(verifier, serverCertificate.getCertificate(), TlsRole.SERVER);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                if (credentials == null) {
                    return null; // an empty Certificate: the server decides
                }
                return credentials.signer(context, (BcTlsCrypto) getCrypto(), request.getSupportedSignatureAlgorithms(),
                        TlsUtils.isTLSv13(context) ? request.getCertificateRequestContext() : null);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        outcome.complete(context);
    }
}
