package org.tunnelbus.api.handshake;

import java.util.List;
import java.util.Objects;

/**
 * How the configuration of a connected peer changed after it was served (its per-client configuration or the
 * pushed options were edited live), and what it takes to bring the peer up to date. Server-side consequences
 * (routes into the peer, {@code iroute}) are the handshake's own business and already applied.
 *
 * @param delivery what the protocol module must do
 * @param options  for {@link Delivery#UPDATE}: the changed options in OpenVPN 2.7 {@code PUSH_UPDATE} form — every
 *                 option of an updatable kind ({@code route}, {@code route-ipv6}, {@code dhcp-option}, {@code dns},
 *                 {@code redirect-gateway}) replaces all of that kind, a bare {@code -route} removes them all;
 *                 empty otherwise
 * @param reason   what changed, for the log ("push route 10.60.0.0 255.255.255.0 added")
 */
public record ConfigUpdate(Delivery delivery, List<String> options, String reason) {
    /** How a change reaches the peer. */
    public enum Delivery {
        /**
         * Only pushed options of updatable kinds changed: a peer that understands {@code PUSH_UPDATE} gets
         * {@link #options()} now; any other peer needs a reconnect, which waits for its next renegotiation.
         */
        UPDATE,
        /** Something only a new connection can change (its address): a reconnect at the next renegotiation. */
        RECONNECT,
        /** The peer may no longer be served (disabled): it is told to reconnect now, and refused then. */
        DISCONNECT
    }

    /**
     * The kinds of pushed option a connected peer can take in an update ({@code master:options.c update_option()});
     * {@code redirect-private} counts as {@code redirect-gateway}.
     */
    public static final List<String> UPDATABLE_KINDS = List.of("route", "route-ipv6", "dhcp-option", "dns",
            "redirect-gateway");

    /** The kind of a pushed option line: its first word, {@code redirect-private} as {@code redirect-gateway}. */
    public static String kind(String option) {
        String o = option.strip();
        int space = o.indexOf(' ');
        String name = space < 0 ? o : o.substring(0, space);
        return name.equals("redirect-private") ? "redirect-gateway" : name;
    }

    public ConfigUpdate {
        Objects.requireNonNull(delivery, "delivery");
        options = List.copyOf(options);
        Objects.requireNonNull(reason, "reason");
    }
}
