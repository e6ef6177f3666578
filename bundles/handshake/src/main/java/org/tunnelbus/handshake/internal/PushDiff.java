package org.tunnelbus.handshake.internal;

import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.api.handshake.ConfigUpdate;

/**
 * The difference between the options a client was pushed and the ones it would be pushed now, in the terms of
 * OpenVPN 2.7's {@code PUSH_UPDATE} ({@code options.c update_option()}, {@code remove_option()}): only routes,
 * IPv6 routes, DHCP/DNS options and redirect-gateway can change on a connected client. The first option of such a
 * kind in an update replaces every option of that kind the client has; {@code -route} alone removes them all.
 */
final class PushDiff {
    private PushDiff() {
    }

    /**
     * @return the PUSH_UPDATE options that turn {@code before} into {@code after}, or null when options of other
     *         kinds differ too (only a new connection applies those)
     */
    static List<String> update(List<String> before, List<String> after) {
        if (!others(before).equals(others(after))) {
            return null;
        }
        List<String> update = new ArrayList<>();
        for (String kind : ConfigUpdate.UPDATABLE_KINDS) {
            List<String> was = ofKind(before, kind);
            List<String> now = ofKind(after, kind);
            if (!was.equals(now)) {
                if (now.isEmpty()) {
                    update.add("-" + kind);
                } else {
                    update.addAll(now);
                }
            }
        }
        return update;
    }

    /** "push 'route 10.60.0.0 255.255.255.0' added, push 'ping 10' removed", for the log. */
    static String describe(List<String> before, List<String> after) {
        List<String> parts = new ArrayList<>();
        after.stream().filter(o -> !before.contains(o)).forEach(o -> parts.add("push '" + o + "' added"));
        before.stream().filter(o -> !after.contains(o)).forEach(o -> parts.add("push '" + o + "' removed"));
        return parts.isEmpty() ? "pushed options reordered" : String.join(", ", parts);
    }

    private static List<String> ofKind(List<String> options, String kind) {
        return options.stream().filter(o -> ConfigUpdate.kind(o).equals(kind)).toList();
    }

    private static List<String> others(List<String> options) {
        return options.stream().filter(o -> !ConfigUpdate.UPDATABLE_KINDS.contains(ConfigUpdate.kind(o))).toList();
    }
}
