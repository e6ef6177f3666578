package org.tunnelbus.config.files.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.transport.TransportFactory;

/**
 * The configuration properties whose value names a module, and the names the installed modules register for
 * them: {@code tls.provider} the {@value TlsEngineFactory#PROVIDER} of the SSL modules, {@code proto} the
 * {@value TransportFactory#PROTOCOL} of the socket modules, {@code handshake.mode} the
 * {@value ConfigHandshake#MODE}, {@code auth.required} the {@value Authenticator#SCHEME}s.
 */
final class ModuleChoices {
    static final Map<String, String> PROPERTIES = Map.of(
            "tls.provider", TlsEngineFactory.PROVIDER,
            "proto", TransportFactory.PROTOCOL,
            "handshake.mode", ConfigHandshake.MODE,
            "auth.required", Authenticator.SCHEME);

    private ModuleChoices() {
    }

    /** Property name to the names registered now. */
    static Map<String, Set<String>> current(BundleContext context) {
        Map<String, Set<String>> out = new HashMap<>();
        PROPERTIES.forEach((property, serviceProperty) -> out.put(property, registered(context, serviceProperty)));
        return out;
    }

    private static Set<String> registered(BundleContext context, String serviceProperty) {
        Set<String> names = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(" + serviceProperty + "=*)");
            for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
                Object v = r.getProperty(serviceProperty);
                if (v instanceof String[] a) {
                    names.addAll(Set.of(a));
                } else if (v != null) {
                    names.add(v.toString());
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // none
        }
        return names;
    }
}
