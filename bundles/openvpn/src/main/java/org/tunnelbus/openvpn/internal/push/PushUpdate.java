package org.tunnelbus.openvpn.internal.push;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.tunnelbus.api.handshake.ConfigUpdate;

/**
 * Applies the options of a PUSH_UPDATE (OpenVPN 2.7; {@code options_parse.c apply_push_options()},
 * {@code options.c update_option()}, {@code remove_option()}) to the options a connected client holds: the first
 * option of an updatable kind replaces every option of that kind, {@code -kind} removes them all, and a
 * {@code ?} prefix marks an option the client may ignore if it cannot take it.
 */
public final class PushUpdate {
    private PushUpdate() {
    }

    /**
     * @param current the pushed options in force
     * @param update  the options of the update (all parts joined)
     * @return the options in force after the update, or null if it holds a non-optional option a connected client
     *         cannot change (stock restarts then: "Offending option received from server")
     */
    public static List<PushOption> apply(List<PushOption> current, List<PushOption> update) {
        List<PushOption> result = new ArrayList<>(current);
        Set<String> replaced = new HashSet<>();
        for (PushOption o : update) {
            boolean optional = o.name().startsWith("?");
            String name = optional ? o.name().substring(1) : o.name();
            boolean remove = name.startsWith("-");
            name = remove ? name.substring(1) : name;
            String kind = ConfigUpdate.kind(name);
            if (!ConfigUpdate.UPDATABLE_KINDS.contains(kind) || (remove && !o.arguments().isEmpty())) {
                if (optional) {
                    continue;
                }
                return null;
            }
            if (remove) {
                result.removeIf(r -> ConfigUpdate.kind(r.name()).equals(kind));
                continue;
            }
            if (replaced.add(kind)) {
                result.removeIf(r -> ConfigUpdate.kind(r.name()).equals(kind));
            }
            result.add(new PushOption(name, o.arguments()));
        }
        return result;
    }
}
