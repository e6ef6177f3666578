package org.tunnelbus.tls.jsse.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

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
 * The SSL box on the JDK's JSSE (provider SunJSSE): one {@link SSLEngine} per TLS session, with a key
 * manager over the spec's chain and key, and a trust manager over its trust anchors. A server requires a
 * client certificate ({@code setNeedClientAuth}) when the spec says so, asks for one otherwise
 * ({@code setWantClientAuth}), and not at all when the spec says not to (verify-client-cert none).
 *
 * <p>No RFC 5705 exporter ({@link #supportsExporter()} is false): Java 17's JSSE has none, so sessions on
 * this provider derive their data keys with the OpenVPN PRF.
 *
 * <p>A configuration change applies to engines created afterwards; running sessions keep theirs.
 */
@Component(service = TlsEngineFactory.class, configurationPid = JsseTlsConfig.PID,
        property = {TlsEngineFactory.PROVIDER + "=jsse", "service.ranking:Integer=0"})
@Designate(ocd = JsseTlsConfig.class)
public final class JsseTlsEngineFactory implements TlsEngineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(JsseTlsEngineFactory.class);

    private final SecureRandom random = new SecureRandom();
    private volatile TlsSettings settings;

    @Activate
    public JsseTlsEngineFactory(JsseTlsConfig config) {
        this(TlsSettings.from(config)); // an invalid first configuration fails activation, logged by SCR
    }

    /** For tests and embedding without OSGi. */
    public JsseTlsEngineFactory(TlsSettings settings) {
        this.settings = settings;
        LOG.info("JSSE TLS engine factory: TLS {}..{}, suites {}", settings.minVersion(), settings.maxVersion(),
                String.join(":", settings.cipherSuites()));
    }

    @Modified
    void modified(JsseTlsConfig config, Map<String, Object> properties) {
        try {
            settings = TlsSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}{}: {}; keeping the previous one", JsseTlsConfig.PID,
                    source(properties), e.getMessage());
            return;
        }
        LOG.info("JSSE TLS reconfigured: TLS {}..{}, suites {}; applies to new TLS sessions",
                settings.minVersion(), settings.maxVersion(), String.join(":", settings.cipherSuites()));
    }

    /** The settings new engines get. */
    public TlsSettings settings() {
        return settings;
    }

    /**
     * @throws IllegalArgumentException if the spec cannot work here (a server without a certificate, or a
     *         minimum version above this provider's configured maximum)
     */
    @Override
    public TlsEngine create(TlsSpec spec, TlsEngineListener parent) {
        TlsSettings s = settings;
        String min = s.effectiveMin(spec.minVersion());
        if (min.compareTo(s.maxVersion()) > 0) {
            throw new IllegalArgumentException("the session needs TLS " + min + " but " + JsseTlsConfig.PID
                    + " tls.max.version is " + s.maxVersion());
        }
        if (spec.role() == TlsRole.SERVER && (spec.chain().isEmpty() || spec.key() == null)) {
            throw new IllegalArgumentException("a TLS server needs a certificate chain and its private key");
        }
        PeerTrustManager trust = new PeerTrustManager(new PeerVerifier(spec.trustAnchors()));
        SSLEngine engine;
        try {
            SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
            context.init(new KeyManager[] {new SingleKeyManager(spec.chain(), spec.key())},
                    new TrustManager[] {trust}, random);
            engine = context.createSSLEngine();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JSSE is not usable: " + e, e);
        }
        engine.setUseClientMode(spec.role() == TlsRole.CLIENT);
        String[] protocols = s.protocols(min);
        String[] suites = supported(s, engine);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        p.setCipherSuites(suites);
        p.setUseCipherSuitesOrder(true);
        if (spec.role() == TlsRole.SERVER) {
            if (spec.requirePeerCertificate()) {
                p.setNeedClientAuth(true);
            } else if (spec.requestPeerCertificate()) {
                p.setWantClientAuth(true);
            } // else verify-client-cert none: no CertificateRequest at all
        }
        engine.setSSLParameters(p);
        return new JsseTlsEngine(engine, spec.role(), trust, parent);
    }

    private static String[] supported(TlsSettings s, SSLEngine engine) {
        var available = Arrays.asList(engine.getSupportedCipherSuites());
        return s.cipherSuites().stream().filter(available::contains).toArray(String[]::new);
    }

    @Override
    public boolean supportsExporter() {
        return false;
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties == null ? null : properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }
}
