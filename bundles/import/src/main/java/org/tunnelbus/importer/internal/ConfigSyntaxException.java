package org.tunnelbus.importer.internal;

/** A configuration file that OpenVPN itself would refuse to parse; the message names the line. */
final class ConfigSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigSyntaxException(String file, int line, String why) {
        super(file + ":" + line + ": " + why);
    }
}
