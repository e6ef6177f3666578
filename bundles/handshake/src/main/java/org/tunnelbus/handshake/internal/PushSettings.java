package org.tunnelbus.handshake.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.tunnelbus.api.route.Prefix;

/**
 * A validated {@link PushConfig}. Every refusal names the property and says why, so the component can
 * log one line and keep its last good settings.
 */
record PushSettings(Prefix network, List<String> ciphers, int ping, int pingRestart, List<String> push) {
    static final Set<String> KNOWN_CIPHERS = Set.of("AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "CHACHA20-POLY1305");
    /** Stock limit for one pushed option, well inside a 1024-byte PUSH_REPLY part. */
    private static final int MAX_OPTION_LENGTH = 256;

    static PushSettings from(PushConfig c) {
        Prefix network = parseNetwork(c.server());
        if (!"subnet".equals(c.topology().trim())) {
            throw new InvalidSettingException("topology", c.topology(), "only 'subnet' is supported");
        }
        List<String> ciphers = parseCiphers("data.ciphers", c.data_ciphers());
        if (c.keepalive_ping() < 0 || c.keepalive_ping() > 3600) {
            throw new InvalidSettingException("keepalive.ping", c.keepalive_ping(), "must be 0..3600 seconds");
        }
        if (c.keepalive_restart() < 0 || c.keepalive_restart() > 86400
                || (c.keepalive_restart() > 0 && c.keepalive_restart() <= c.keepalive_ping())) {
            throw new InvalidSettingException("keepalive.restart", c.keepalive_restart(),
                    "must be 0 or more than keepalive.ping, at most 86400 seconds");
        }
        return new PushSettings(network, ciphers, c.keepalive_ping(), c.keepalive_restart(), options(c.push()));
    }

    /**
     * The pushed options of a {@code push} property, checked. A plain .cfg file gives one string for the list
     * ("route ..., dhcp-option ..."): PUSH_REPLY separates options by commas, so no option contains one and
     * splitting there is what the user meant.
     */
    static List<String> options(String[] values) {
        List<String> push = Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        push.forEach(PushSettings::checkOption);
        return push;
    }

    private static Prefix parseNetwork(String value) {
        try {
            Prefix p = Prefix.parse(value);
            new AddressPool(p); // checks family and size
            return p;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("server", value, e.getMessage());
        }
    }

    /** A colon-separated cipher list of {@code property}, upper case, every cipher one we support. */
    static List<String> parseCiphers(String property, String value) {
        List<String> ciphers = Arrays.stream(value.split(":")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toUpperCase(java.util.Locale.ROOT)).toList();
        if (ciphers.isEmpty()) {
            throw new InvalidSettingException(property, value, "lists no cipher");
        }
        for (String cipher : ciphers) {
            if (!KNOWN_CIPHERS.contains(cipher)) {
                throw new InvalidSettingException(property, value, "unknown cipher " + cipher
                        + " (supported: AES-128-GCM, AES-192-GCM, AES-256-GCM, CHACHA20-POLY1305)");
            }
        }
        return ciphers;
    }

    /** A pushed option becomes one comma-separated item of PUSH_REPLY: printable ASCII only. */
    private static void checkOption(String option) {
        if (option.length() > MAX_OPTION_LENGTH || !option.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != ',')) {
            throw new InvalidSettingException("push", option,
                    "a pushed option must be printable ASCII, at most " + MAX_OPTION_LENGTH + " characters");
        }
    }

    /** A configuration value that cannot be used. */
    static final class InvalidSettingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final String property;

        InvalidSettingException(String property, Object value, String why) {
            super("property '" + property + "' = '" + value + "': " + why);
            this.property = property;
        }
    }
}
