package org.tunnelbus.auth.cert.internal;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;

/**
 * Certificate authentication ({@code tunnelbus.auth.scheme=cert}, PID {@value CertAuthConfig#PID}): accepts a
 * client whose chain leads to the configured CA and that is neither expired nor revoked, carries the required
 * EKU and matches verify-x509-name; the identity is the certificate's CN. See {@link CertVerifier} for the
 * order of the checks and the reasons.
 *
 * <p>Live configuration: the CA and CRL files are re-read when they change (checked on every
 * {@link #authenticate}), a broken file keeps the last good content with one error line naming it. A changed
 * configuration applies to the next authentication; an invalid one is refused with one line naming the PID,
 * the property and the file, and the previous one stays in force. Without any good configuration every
 * client is refused, with that reason.
 *
 * <p>Each decision is logged once: refusals at WARN with the peer address and the reason, acceptances at INFO.
 */
@Component(service = Authenticator.class, configurationPid = CertAuthConfig.PID, property = Authenticator.SCHEME + "=cert")
@Designate(ocd = CertAuthConfig.class)
public final class CertAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CertAuthenticator.class);

    private final Clock clock;
    private volatile CertVerifier verifier;
    private volatile String unconfigured = "no configuration yet";

    @Activate
    public CertAuthenticator(CertAuthConfig config, Map<String, Object> properties) {
        this(config, properties, Clock.systemUTC());
    }

    CertAuthenticator(CertAuthConfig config, Map<String, Object> properties, Clock clock) {
        this.clock = clock;
        apply(config, properties);
    }

    @Modified
    void modified(CertAuthConfig config, Map<String, Object> properties) {
        apply(config, properties);
    }

    private void apply(CertAuthConfig config, Map<String, Object> properties) {
        CertAuthSettings s;
        try {
            s = CertAuthSettings.from(config);
        } catch (ConfigException e) {
            CertVerifier previous = verifier;
            LOG.error("Refused configuration {}{}: {}; {}", CertAuthConfig.PID, source(properties), e.getMessage(),
                    previous == null ? "refusing every client until it is fixed"
                            : "keeping the previous one (" + previous.settings() + ")");
            if (previous == null) {
                unconfigured = e.getMessage();
            }
            return;
        }
        verifier = new CertVerifier(s, clock);
        LOG.info("Certificate authentication: {}", s);
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }

    /** {@code 192.0.2.1:1194}, {@code [2001:db8::1]:1194}: no leading slash, never a DNS lookup. */
    static String format(InetSocketAddress a) {
        if (a == null) {
            return "(unknown address)";
        }
        if (a.getAddress() == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public AuthResult authenticate(Credentials credentials) {
        CertVerifier v = verifier;
        AuthResult result;
        if (v == null) {
            result = AuthResult.refuse("certificate authentication is not configured (" + CertAuthConfig.PID + ": "
                    + unconfigured + ")");
        } else {
            try {
                result = v.verify(credentials.chain());
            } catch (RuntimeException e) {
                result = AuthResult.refuse("certificate check failed: " + e);
            }
        }
        String from = format(credentials.remote());
        if (result.accepted()) {
            LOG.debug("Certificate of {} accepted from {}", result.identity(), from);
        } else {
            LOG.debug("Certificate refused from {}: {}", from, result.reason()); // the control session logs the refusal
        }
        return result;
    }
}
