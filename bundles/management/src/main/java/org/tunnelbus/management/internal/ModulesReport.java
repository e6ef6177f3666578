package org.tunnelbus.management.internal;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * {@code tunnelbus modules}: the installed modules — every bundle that serves a slot of the platform (a service with
 * one of the naming properties below), and every bundle installed at run time — with version, state, where it
 * came from, and the slots it serves ({@code stage openvpn-seal}, {@code tls jsse}, {@code transport udp}, ...).
 */
final class ModulesReport {
    /** The service properties that name what a module serves, and the word shown for each. */
    static final Map<String, String> SLOTS = Map.of(
            "tunnelbus.stage.name", "stage",
            "tunnelbus.tls.provider", "tls",
            "tunnelbus.transport.protocol", "transport",
            "tunnelbus.auth.scheme", "auth",
            "tunnelbus.handshake.mode", "handshake",
            "tunnelbus.compress.algorithm", "compress",
            "tunnelbus.device.name", "device");

    private ModulesReport() {
    }

    /** @param dist the distribution's {@code bundles/} folder, {@code modules} HOME/modules (null: none) */
    static String of(Bundle[] bundles, Path dist, Path modules) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODULE", "VERSION", "STATE", "FROM", "SERVES"});
        List<Bundle> sorted = new ArrayList<>(List.of(bundles));
        sorted.sort(Comparator.comparing(b -> String.valueOf(b.getSymbolicName())));
        for (Bundle b : sorted) {
            String from = from(b.getLocation(), dist, modules);
            String serves = serves(b);
            if (b.getBundleId() != 0 && (!serves.isEmpty() || !from.equals("distribution"))) {
                rows.add(new String[] {String.valueOf(b.getSymbolicName()), b.getVersion().toString(), state(b.getState()), from,
                    serves.isEmpty() ? "-" : serves});
            }
        }
        return StatusReport.table(rows) + (rows.size() - 1) + " module(s)\n";
    }

    /** Where a bundle came from, by its location: a jar of the distribution or of HOME/modules, an upload, or as is. */
    static String from(String location, Path dist, Path modules) {
        if (location.startsWith("inputstream:")) {
            return "web console upload";
        }
        if (location.startsWith("file:")) {
            try {
                Path p = Paths.get(URI.create(location)).toAbsolutePath().normalize();
                if (dist != null && p.startsWith(dist)) {
                    return "distribution";
                }
                if (modules != null && p.startsWith(modules)) {
                    return "HOME/modules";
                }
            } catch (IllegalArgumentException e) {
                return location;
            }
        }
        return location;
    }

    private static String serves(Bundle b) {
        TreeSet<String> out = new TreeSet<>();
        ServiceReference<?>[] refs = b.getRegisteredServices();
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            SLOTS.forEach((property, word) -> {
                Object v = r.getProperty(property);
                if (v instanceof String[] a) {
                    for (String s : a) {
                        out.add(word + " " + s);
                    }
                } else if (v != null) {
                    out.add(word + " " + v);
                }
            });
        }
        return String.join(", ", out);
    }

    private static String state(int s) {
        return switch (s) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }
}
