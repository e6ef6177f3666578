package org.tunnelbus.device.tun.internal;

/** A configuration value was refused; the message names the property and why. */
final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String property;

    ConfigException(String property, String why) {
        super("property '" + property + "': " + why);
        this.property = property;
    }

    /** The configuration property that was refused. */
    String property() {
        return property;
    }
}
