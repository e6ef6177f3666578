package org.tunnelbus.api.auth;

/**
 * An authenticator's answer.
 *
 * @param accepted true if the peer may proceed
 * @param identity the authenticated name (CN or username) when accepted
 * @param reason   one line for the log (and, where the protocol allows, for the peer) when refused
 */
public record AuthResult(boolean accepted, String identity, String reason) {
    public static AuthResult accept(String identity) {
        return new AuthResult(true, identity, "");
    }

    public static AuthResult refuse(String reason) {
        return new AuthResult(false, "", reason);
    }
}
