package org.tunnelbus.api.handshake;

/**
 * One difference between the peer's options string and ours, as stock OpenVPN reports it
 * ({@code options.c options_warning_safe_scan2()}).
 *
 * @param option  the option's name (first word of the item, e.g. {@code tun-mtu}), or null for a note that
 *                concerns no single option (version skew)
 * @param message the stock log line, e.g. {@code WARNING: 'tun-mtu' is used inconsistently, local='tun-mtu 1500',
 *                remote='tun-mtu 1400'}
 */
public record OptionMismatch(String option, String message) {
}
