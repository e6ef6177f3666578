package org.tunnelbus.config.files.internal;

import java.nio.file.Path;

/**
 * Which file of {@code HOME/config} holds a configuration, by FileInstall's naming: {@code PID.cfg}, and for a
 * factory configuration {@code FACTORYPID-NAME.cfg} (its PID is {@code FACTORYPID~NAME}).
 */
final class ConfigFileNames {
    private ConfigFileNames() {
    }

    /** The file FileInstall would read {@code pid} from, or null for a factory configuration not made by a file. */
    static Path forPid(Path dir, String pid, String factoryPid) {
        if (factoryPid == null) {
            return dir.resolve(pid + ".cfg");
        }
        String prefix = factoryPid + "~";
        return pid.startsWith(prefix) ? dir.resolve(factoryPid + "-" + pid.substring(prefix.length()) + ".cfg") : null;
    }

    /** A new file for a factory configuration made elsewhere (the web console's "+"): {@code FACTORYPID-NAME.cfg}. */
    static Path forNewFactoryConfig(Path dir, String pid, String factoryPid) {
        String tail = pid.startsWith(factoryPid) ? pid.substring(factoryPid.length()) : pid;
        String name = tail.replaceAll("[^A-Za-z0-9]", "");
        name = name.length() > 8 ? name.substring(0, 8) : name.isEmpty() ? "new" : name;
        return dir.resolve(factoryPid + "-" + name + ".cfg");
    }

    /** PID and factory PID of a file name ({@code PID.cfg} or {@code FACTORYPID-NAME.cfg}), FileInstall's way. */
    static String[] pidOf(String fileName) {
        String base = fileName.replaceFirst("\\.(cfg|config)$", "");
        int dash = base.indexOf('-');
        return dash < 0 ? new String[] {base, null} : new String[] {base.substring(0, dash) + "~" + base.substring(dash + 1),
            base.substring(0, dash)};
    }
}
