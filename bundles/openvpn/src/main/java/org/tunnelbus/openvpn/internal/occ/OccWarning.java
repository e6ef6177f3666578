package org.tunnelbus.openvpn.internal.occ;

/**
 * One finding of the options-consistency check, worded as stock logs it (§4; {@code options.c
 * options_warning_safe_scan2()}, {@code options_cmp_equal_safe()}). Data, not logging: the caller decides
 * where it goes. 2.6 only warns; nothing here fails a connection.
 *
 * @param kind   what was found
 * @param option the option name (first word of the item), e.g. {@code link-mtu}
 * @param local  our item, or null
 * @param remote the peer's item, or null
 */
public record OccWarning(Kind kind, String option, String local, String remote) {
    public enum Kind {
        /** The two strings have different versions; the check compares item by item and may be skewed. */
        VERSION_SKEW,
        /** Both sides have the option with different values. */
        INCONSISTENT,
        /** We have it, the peer does not. */
        MISSING_REMOTE,
        /** The peer has it, we do not. */
        MISSING_LOCAL
    }

    /** The stock log line. */
    public String message() {
        switch (kind) {
            case VERSION_SKEW:
                return "NOTE: Options consistency check may be skewed by version differences";
            case INCONSISTENT:
                return "WARNING: '" + option + "' is used inconsistently, local='" + local + "', remote='" + remote + "'";
            case MISSING_REMOTE:
                return "WARNING: '" + option + "' is present in local config but missing in remote config, local='"
                        + local + "'";
            default:
                return "WARNING: '" + option + "' is present in remote config but missing in local config, remote='"
                        + remote + "'";
        }
    }

    @Override
    public String toString() {
        return message();
    }
}
