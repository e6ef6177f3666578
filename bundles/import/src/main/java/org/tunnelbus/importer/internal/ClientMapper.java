package org.tunnelbus.importer.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client configuration (.ovpn). Tunnelbus has no client mode yet, so nothing goes to HOME/config: the key
 * material is copied to HOME/import/NAME/ (ready for when client mode comes) and every directive is reported
 * as unsupported, saying so.
 */
final class ClientMapper {
    /** Directives that make a file a client configuration. */
    static final Set<String> CLIENT_MARKERS = Set.of("client", "tls-client", "pull", "remote", "remote-random",
            "auth-user-pass", "connection");
    private static final Map<String, String> FILES = Map.of("ca", "ca.crt", "cert", "client.crt", "key", "client.key",
            "tls-crypt", "tls-crypt.key", "tls-auth", "tls-auth.key", "tls-crypt-v2", "tls-crypt-v2.key");
    private static final String WHY = "client mode is not available yet in Tunnelbus";

    private final ImportPlan plan;
    private final KeyMaterial keys;

    ClientMapper(ImportPlan plan, KeyMaterial keys) {
        this.plan = plan;
        this.keys = keys;
    }

    static boolean isClient(List<Directive> directives) {
        return directives.stream().anyMatch(d -> CLIENT_MARKERS.contains(d.name()));
    }

    void map(List<Directive> directives) throws ImportException {
        plan.report().general("This is a CLIENT configuration. Client mode is not available yet: no configuration "
                + "was written to HOME/config; the key material was copied to HOME/import/" + plan.name() + "/.");
        for (Directive d : directives) {
            String file = FILES.get(d.name());
            if (d.name().equals("cd") && d.arg(0) != null) {
                keys.changeDirectory(d.arg(0));
                plan.report().note(d, "used by the import: later relative file names were read from " + d.arg(0));
            } else if (file != null) {
                boolean secret = !d.name().equals("ca") && !d.name().equals("cert");
                plan.material(file, keys.read(d), secret);
                plan.report().unsupported(d, WHY + "; copied to import/" + plan.name() + "/" + file
                        + (secret ? " (mode 0600)" : ""));
            } else {
                plan.report().unsupported(d, WHY);
            }
        }
    }
}
