package org.tunnelbus.tls.bouncycastle.internal;

import java.security.SecureRandom;
import java.util.Map;

import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.tls.TlsEngine;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsEngineListener;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;

/**
 * The SSL box on Bouncy Castle's TLS protocol engine (bctls, with the pure-Java {@link BcTlsCrypto}; no JCA
 * provider is installed or needed): TLS 1.2 and 1.3, X.509 verification of the peer against the spec's
 * trust anchors, and the RFC 5705 exporter that OpenVPN's tls-ekm data-key derivation uses
 * ({@link #supportsExporter()} is true).
 *
 * <p>A configuration change applies to engines created afterwards; running sessions keep theirs.
 */
@Component(service = TlsEngineFactory.class, configurationPid = BcTlsConfig.PID,
        property = {TlsEngineFactory.PROVIDER + "=bouncycastle", "service.ranking:Integer=10"})
@Designate(ocd = BcTlsConfig.class)
public final class BcTlsEngineFactory implements TlsEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(BcTlsEngineFactory.class);

    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private volatile TlsSettings settings;

    @Activate
    public BcTlsEngineFactory(BcTlsConfig config) {
        this(TlsSettings.from(config)); // an invalid first configuration fails activation, logged by SCR
    }

    /** For tests and embedding without OSGi. */
    public BcTlsEngineFactory(TlsSettings settings) {
        this.settings = settings;
        LOG.info("Bouncy Castle TLS engine factory: TLS {}..{}, suites {}", settings.minVersion(),
                settings.maxVersion(), String.join(":", settings.cipherSuites()));
    }

    @Modified
    void modified(BcTlsConfig config, Map<String, Object> properties) {
        try {
            settings = TlsSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}{}: {}; keeping the previous one", BcTlsConfig.PID,
                    source(properties), e.getMessage());
            return;
        }
        LOG.info("Bouncy Castle TLS reconfigured: TLS {}..{}, suites {}; applies to new TLS sessions",
                settings.minVersion(), settings.maxVersion(), String.join(":", settings.cipherSuites()));
    }

    /** The settings new engines get. */
    public TlsSettings settings() {
        return settings;
    }

    /**
     * @throws IllegalArgumentException if the spec cannot work here (a server without a certificate, a key
     *         Bouncy Castle cannot use, or a minimum version above this provider's configured maximum)
     */
    @Override
    public TlsEngine create(TlsSpec spec, TlsEngineListener parent) {
        TlsSettings s = settings;
        String min = s.effectiveMin(spec.minVersion());
        if (min.compareTo(s.maxVersion()) > 0) {
            throw new IllegalArgumentException("the session needs TLS " + min + " but " + BcTlsConfig.PID
                    + " tls.max.version is " + s.maxVersion());
        }
        LocalCredentials credentials = LocalCredentials.of(spec.chain(), spec.key());
        PeerVerifier verifier = new PeerVerifier(spec.trustAnchors());
        ProtocolVersion[] versions = s.protocols(min);
        Outcome outcome = new Outcome();
        if (spec.role() == TlsRole.CLIENT) {
            BcTlsClientPeer peer = new BcTlsClientPeer(crypto, versions, s.suiteCodes(null), credentials, verifier,
                    outcome);
            TlsClientProtocol protocol = new TlsClientProtocol(); // non-blocking mode
            return new BcTlsEngine(protocol, () -> protocol.connect(peer), peer::tlsContext, outcome, TlsRole.CLIENT,
                    parent);
        }
        if (credentials == null) {
            throw new IllegalArgumentException("a TLS server needs a certificate chain and its private key");
        }
        BcTlsServerPeer peer = new BcTlsServerPeer(crypto, versions, s.suiteCodes(credentials.keyAlgorithm()),
                credentials, verifier, spec.requirePeerCertificate(), spec.requestPeerCertificate(), outcome);
        TlsServerProtocol protocol = new TlsServerProtocol(); // non-blocking mode
        return new BcTlsEngine(protocol, () -> protocol.accept(peer), peer::tlsContext, outcome, TlsRole.SERVER,
                parent);
    }

    @Override
    public boolean supportsExporter() {
        return true;
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties == null ? null : properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }
}
