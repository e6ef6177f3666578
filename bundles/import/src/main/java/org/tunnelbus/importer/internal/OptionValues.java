package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenVPN option values spelled as Tunnelbus's properties want them, shared by the server and the client
 * import so that both accept and refuse the same values. Each method returns null (or an empty list) for a
 * value Tunnelbus cannot take; the caller reports it with its own PID.
 */
final class OptionValues {
    static final Set<String> AEAD_CIPHERS = Set.of("AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "CHACHA20-POLY1305");
    static final String AEAD_NAMES = "AES-128-GCM, AES-192-GCM, AES-256-GCM, CHACHA20-POLY1305";

    /** A data-ciphers list split into what Tunnelbus has (upper case, in order) and what it lacks. */
    record Ciphers(List<String> kept, List<String> dropped) {
        String joined() {
            return String.join(":", kept);
        }
    }

    private OptionValues() {
    }

    /** {@code data-ciphers A:B:?C} (2.6: '?' marks an optional cipher). */
    static Ciphers ciphers(String list) {
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String c : list.split(":")) {
            String name = c.startsWith("?") ? c.substring(1) : c;
            String upper = name.toUpperCase(Locale.ROOT);
            if (AEAD_CIPHERS.contains(upper)) {
                kept.add(upper);
            } else if (!name.isEmpty()) {
                dropped.add(name);
            }
        }
        return new Ciphers(List.copyOf(kept), List.copyOf(dropped));
    }

    /** The tls-auth digest of {@code auth} (SHA1, SHA256, SHA512; "sha-256" is SHA256), or null. */
    static String digest(String value) {
        String d = value == null ? "" : value.toUpperCase(Locale.ROOT).replace("-", "");
        return d.equals("SHA1") || d.equals("SHA256") || d.equals("SHA512") ? d : null;
    }

    /** {@code tls-version-min}: 1.3 stays, 1.0 to 1.2 become 1.2 (Tunnelbus never accepts less), else null. */
    static String tlsVersionMin(String value) {
        if ("1.3".equals(value)) {
            return "1.3";
        }
        return "1.0".equals(value) || "1.1".equals(value) || "1.2".equals(value) ? "1.2" : null;
    }
}
