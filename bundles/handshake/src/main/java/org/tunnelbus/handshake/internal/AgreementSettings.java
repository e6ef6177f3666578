package org.tunnelbus.handshake.internal;

import java.util.List;
import java.util.Locale;

import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.handshake.internal.PushSettings.InvalidSettingException;

/**
 * A validated {@link AgreementConfig}. Every refusal names the property and says why, so the component can log
 * one line and keep its last good settings.
 */
record AgreementSettings(Prefix local, Prefix remote, String cipher, List<String> ciphers, boolean strict, int ping,
        int pingRestart) {

    static AgreementSettings from(AgreementConfig c) {
        Prefix[] ends = parseIfconfig(c.ifconfig());
        String cipher = c.cipher() == null || c.cipher().isBlank() ? null : c.cipher().trim().toUpperCase(Locale.ROOT);
        if (cipher != null && !PushSettings.KNOWN_CIPHERS.contains(cipher)) {
            throw new InvalidSettingException("cipher", c.cipher(), "unknown cipher " + cipher
                    + " (supported: AES-128-GCM, AES-192-GCM, AES-256-GCM, CHACHA20-POLY1305)");
        }
        List<String> ciphers = PushSettings.parseCiphers("data.ciphers", c.data_ciphers());
        if (c.keepalive_ping() < 0 || c.keepalive_ping() > 3600) {
            throw new InvalidSettingException("keepalive.ping", c.keepalive_ping(), "must be 0..3600 seconds");
        }
        if (c.keepalive_restart() < 0 || c.keepalive_restart() > 86400) {
            throw new InvalidSettingException("keepalive.restart", c.keepalive_restart(), "must be 0..86400 seconds");
        }
        return new AgreementSettings(ends[0], ends[1], cipher, ciphers, c.strict(), c.keepalive_ping(),
                c.keepalive_restart());
    }

    /** What the protocol module puts into its options string and peer-info. */
    AgreementOptions options() {
        return new AgreementOptions(local.address().getHostAddress(), remote.address().getHostAddress(), cipher, ciphers);
    }

    private static Prefix[] parseIfconfig(String value) {
        String[] w = value == null ? new String[0] : value.trim().split("\\s+");
        if (w.length != 2) {
            throw new InvalidSettingException("ifconfig", value, "must be 'LOCAL REMOTE', two IPv4 addresses");
        }
        Prefix local = host(value, w[0]);
        Prefix remote = host(value, w[1]);
        if (local.equals(remote)) {
            throw new InvalidSettingException("ifconfig", value, "the two addresses must differ");
        }
        return new Prefix[] {local, remote};
    }

    private static Prefix host(String value, String word) {
        try {
            Prefix p = Prefix.parse(word);
            if (!p.isIpv4() || p.length() != 32) {
                throw new IllegalArgumentException(word + " is not one IPv4 address");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("ifconfig", value, e.getMessage());
        }
    }
}
