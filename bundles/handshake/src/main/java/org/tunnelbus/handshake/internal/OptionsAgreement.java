package org.tunnelbus.handshake.internal;

import java.util.List;
import java.util.Objects;

import org.tunnelbus.api.handshake.OptionMismatch;

/**
 * What differing options strings mean in the agreement model: stock 2.6 only warns (one line per difference,
 * {@code options_warning()}); with {@code strict} the peer is refused, the way stock's old {@code --opt-verify}
 * did, with every differing option named in the one refusal line.
 */
final class OptionsAgreement {
    private OptionsAgreement() {
    }

    /** The names of the differing options, in the order found, each once. */
    static List<String> differing(List<OptionMismatch> mismatches) {
        return mismatches.stream().map(OptionMismatch::option).filter(Objects::nonNull).distinct().toList();
    }

    /** The refusal of a strict agreement, naming the options; null if there is nothing to refuse. */
    static String refusal(List<OptionMismatch> mismatches) {
        List<String> names = differing(mismatches);
        if (names.isEmpty()) {
            return null;
        }
        return "options differ from ours (" + AgreementConfig.PID + " strict = true): "
                + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "; "
                + String.join("; ", mismatches.stream().map(OptionMismatch::message).toList());
    }
}
