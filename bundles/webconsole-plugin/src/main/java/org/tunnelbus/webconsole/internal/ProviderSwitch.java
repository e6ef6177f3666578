package org.tunnelbus.webconsole.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Set;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Switches the SSL module of a listener from the page: its configuration's {@code tls.provider}, changed through
 * Config Admin with every other property (and {@code felix.fileinstall.filename}) kept, so the configuration
 * file follows (bundle {@code config-files}) and new sessions use the module; live sessions keep theirs.
 */
final class ProviderSwitch {
    static final String PROPERTY = "tls.provider";

    private ProviderSwitch() {
    }

    /** Returns what happened, for the page; throws with a message the page shows when it cannot. */
    static String tls(ConfigurationAdmin admin, String pid, String provider, Set<String> installed)
            throws IOException, InvalidSyntaxException {
        if (!installed.contains(provider)) {
            throw new IllegalArgumentException("no SSL module '" + provider + "' is installed (installed: "
                    + String.join(", ", installed) + ")");
        }
        if (pid == null || !pid.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("not a configuration PID: " + pid);
        }
        Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            throw new IllegalArgumentException("no configuration " + pid);
        }
        Dictionary<String, Object> props = found[0].getProperties();
        Object before = props.get(PROPERTY);
        props.put(PROPERTY, provider);
        found[0].updateIfDifferent(props);
        return pid + ": tls.provider " + before + " -> " + provider + " (new sessions; live ones keep theirs)";
    }
}
