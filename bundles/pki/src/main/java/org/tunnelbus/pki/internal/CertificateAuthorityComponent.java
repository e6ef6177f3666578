package org.tunnelbus.pki.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.pki.CaPolicy;
import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.PkiException;

/**
 * The {@link CertificateAuthority} service (PID {@value PkiConfig#PID}). Activation makes sure the CA exists
 * (first start creates it). A configuration change builds a new {@link FileCertificateAuthority} and swaps it
 * in; an invalid one is refused with one line naming the PID and property, and the previous stays in force.
 */
@Component(service = CertificateAuthority.class, configurationPid = PkiConfig.PID, immediate = true)
@Designate(ocd = PkiConfig.class)
public final class CertificateAuthorityComponent implements CertificateAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthorityComponent.class);

    private final String home;
    private volatile FileCertificateAuthority ca;

    @Activate
    public CertificateAuthorityComponent(PkiConfig config, BundleContext context, Map<String, Object> properties)
            throws PkiException {
        this(config, context.getProperty("tunnelbus.home"), properties);
    }

    CertificateAuthorityComponent(PkiConfig config, String home, Map<String, Object> properties) throws PkiException {
        this.home = home;
        FileCertificateAuthority first;
        try {
            first = build(config, home);
        } catch (IllegalArgumentException e) {
            throw new PkiException("Refused configuration " + PkiConfig.PID + source(properties) + ": " + e.getMessage());
        }
        first.ensureCa(); // an unusable directory fails activation; SCR logs the message, which names the files
        ensureServerCertificate(first, config);
        ca = first;
    }

    /**
     * The instance's own server certificate ({@code server.name}): issued once, when the CA has no valid
     * certificate of that name, so that a server started on an empty home finds {@code issued/NAME.crt} and
     * {@code private/NAME.key}. A name that cannot be issued is reported and leaves the CA in service.
     */
    static void ensureServerCertificate(FileCertificateAuthority ca, PkiConfig config) {
        String name = config.server_name().trim();
        if (name.isEmpty()) {
            return;
        }
        try {
            if (ca.find(name).isEmpty()) {
                ca.issueServer(name); // logs "Issued server certificate NAME (serial …, until …)"
            }
        } catch (PkiException e) {
            LOG.error("Cannot issue the server certificate {} (PID {}, property server.name): {}", name, PkiConfig.PID,
                    e.getMessage());
        }
    }

    @Modified
    void modified(PkiConfig config, Map<String, Object> properties) {
        FileCertificateAuthority next;
        try {
            next = build(config, home);
            next.ensureCa();
        } catch (IllegalArgumentException | PkiException e) {
            LOG.error("Refused configuration {}{}: {}; keeping the previous one ({})", PkiConfig.PID, source(properties),
                    e.getMessage(), ca.directory());
            return;
        }
        ensureServerCertificate(next, config);
        ca = next;
        LOG.info("Certificate authority reconfigured: {}", next.directory());
    }

    static FileCertificateAuthority build(PkiConfig c, String home) {
        Path dir;
        String configured = c.state_dir().trim();
        if (!configured.isEmpty()) {
            dir = Paths.get(configured);
        } else {
            dir = Paths.get(home == null ? System.getProperty("user.dir") : home, "pki");
        }
        if (c.ca_name().isBlank()) {
            throw new IllegalArgumentException("property ca.name: empty");
        }
        CaPolicy policy = new CaPolicy(c.ca_name().trim(), days("ca.validity.days", c.ca_validity_days()),
                days("cert.validity.days", c.cert_validity_days()), days("crl.validity.days", c.crl_validity_days()),
                Clock.systemUTC());
        if (policy.caName().length() > 64) {
            throw new IllegalArgumentException("property ca.name: longer than 64 characters");
        }
        return new FileCertificateAuthority(dir, policy);
    }

    private static Duration days(String property, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("property " + property + ": must be at least 1, was " + days);
        }
        return Duration.ofDays(days);
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }

    @Override
    public X509Certificate ensureCa() throws PkiException {
        return ca.ensureCa();
    }

    @Override
    public IssuedCertificate issueServer(String commonName) throws PkiException {
        return ca.issueServer(commonName);
    }

    @Override
    public IssuedCertificate issueClient(String name) throws PkiException {
        return ca.issueClient(name);
    }

    @Override
    public Optional<IssuedCertificate> find(String name) throws PkiException {
        return ca.find(name);
    }

    @Override
    public X509CRL revoke(String name) throws PkiException {
        return ca.revoke(name);
    }

    @Override
    public X509CRL crl() throws PkiException {
        return ca.crl();
    }

    @Override
    public Path caCertificateFile() {
        return ca.caCertificateFile();
    }

    @Override
    public Path crlFile() {
        return ca.crlFile();
    }
}
