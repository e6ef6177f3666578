package org.tunnelbus.auth.userpass.internal;

/** A refused configuration value; the message names the property and says why. */
final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigException(String property, String why) {
        super("property " + property + ": " + why);
    }
}
