package org.tunnelbus.tls.bouncycastle.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.KnownAnswerTests;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;

/**
 * Offers the Bouncy Castle data-channel ciphers as a {@link DataChannelCipherFactory} service, but only after
 * every known-answer vector ({@link KnownAnswerTests}) has passed on activation. The service is therefore
 * registered by hand from {@code @Activate} (DS cannot make a registration depend on a check); if a vector
 * fails, one error is logged and nothing is registered. Service properties: {@value
 * DataChannelCipherFactory#CIPHERS} (the enabled names), {@value #PROVIDER}{@code =bouncycastle}, and
 * {@code service.ranking} from the configuration.
 */
@Component(service = {}, immediate = true, configurationPid = BcCryptoConfig.PID)
@Capability(namespace = "osgi.service", uses = DataChannelCipherFactory.class,
        attribute = "objectClass:List<String>=org.tunnelbus.api.crypto.DataChannelCipherFactory")
@Designate(ocd = BcCryptoConfig.class)
public final class BcCryptoProvider {
    /** Service property naming the crypto provider (not in the api yet). */
    public static final String PROVIDER = "tunnelbus.crypto.provider";

    private static final Logger LOG = LoggerFactory.getLogger(BcCryptoProvider.class);

    private final BcDataChannelCipherFactory factory;
    private final ServiceRegistration<DataChannelCipherFactory> registration;
    private List<String> ciphers;
    private int ranking;

    @Activate
    public BcCryptoProvider(BundleContext context, BcCryptoConfig config) {
        this(context, config, BcDataChannelCipherFactory::make);
    }

    BcCryptoProvider(BundleContext context, BcCryptoConfig config, KnownAnswerTests.Maker implementation) {
        this.ciphers = ciphers(config); // an invalid first configuration fails activation, logged by SCR
        this.ranking = config.service_ranking();
        this.factory = new BcDataChannelCipherFactory(ciphers);
        List<String> failures = KnownAnswerTests.run(implementation);
        if (!failures.isEmpty()) {
            LOG.error("Bouncy Castle data-channel ciphers NOT offered: {} of {} known-answer vectors failed: {}",
                    failures.size(), KnownAnswerTests.VECTORS.size(), String.join("; ", failures));
            this.registration = null;
            return;
        }
        this.registration = context.registerService(DataChannelCipherFactory.class, factory, properties());
        LOG.info("Bouncy Castle data-channel ciphers offered after {} known-answer vectors passed: {}",
                KnownAnswerTests.VECTORS.size(), String.join(":", ciphers));
    }

    /** True if the known-answer tests passed and the service is registered. */
    boolean registered() {
        return registration != null;
    }

    @Modified
    void modified(BcCryptoConfig config, Map<String, Object> properties) {
        List<String> next;
        try {
            next = ciphers(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused configuration {}{}: {}; keeping the previous one", BcCryptoConfig.PID,
                    source(properties), e.getMessage());
            return;
        }
        ciphers = next;
        ranking = config.service_ranking();
        factory.enable(next);
        if (registration != null) {
            registration.setProperties(properties());
        }
        LOG.info("Bouncy Castle data-channel ciphers reconfigured: {}, ranking {}", String.join(":", next), ranking);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the bundle
            }
        }
    }

    private Dictionary<String, Object> properties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(DataChannelCipherFactory.CIPHERS, ciphers.toArray(String[]::new));
        p.put(PROVIDER, "bouncycastle");
        p.put(Constants.SERVICE_RANKING, ranking);
        return p;
    }

    private static List<String> ciphers(BcCryptoConfig config) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String c : config.data_ciphers()) {
            String name = c.trim().toUpperCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!BcDataChannelCipherFactory.ALL.contains(name)) {
                throw new IllegalArgumentException("data.ciphers: '" + c + "' is not one of "
                        + BcDataChannelCipherFactory.ALL);
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("data.ciphers: at least one cipher is needed");
        }
        return new ArrayList<>(names);
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties == null ? null : properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }
}
