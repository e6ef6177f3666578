package org.tunnelbus.openvpn.internal.server;

import java.security.SecureRandom;

import org.tunnelbus.openvpn.internal.control.AuthToken;

/**
 * One client's auth-gen-token state: the token session (id and first-login time) its tokens share, and the latest
 * token. A token presented as a password is checked as one, never as a password; the token is renewed at every
 * key method 2 and pushed on its own after a renegotiation (stock {@code send_push_reply_auth_token()}). Tokens
 * are secrets: never logged. Used on the listener's control thread.
 */
final class SessionTokens {
    private AuthToken.Session tokenSession;
    private String token;
    private boolean renewed;

    /**
     * Verifies a token presented as the password: its HMAC, that it belongs to this session (on renegotiation), its
     * time window and lifetime.
     */
    AuthToken.Verdict verify(AuthToken tokens, String presented, String username, long nowSeconds) {
        return tokens.verify(presented, username, tokenSession, nowSeconds);
    }

    /**
     * Issues the token of this key method 2: same token session as the presented token (or a new one), issued now.
     *
     * @param presented the token the client logged in with, or null for a password login
     * @param renewal   whether the tunnel is up already (the renewed token is pushed alone after the renegotiation)
     */
    void issue(AuthToken tokens, String username, String presented, SecureRandom random, long nowSeconds,
            boolean renewal) {
        if (tokenSession == null) {
            tokenSession = presented != null ? AuthToken.session(presented) : AuthToken.newSession(random, nowSeconds);
        }
        token = tokens.issue(username, tokenSession, nowSeconds);
        renewed = renewal;
    }

    /** The latest token, or null when none was issued. */
    String token() {
        return token;
    }

    /** The token renewed by a renegotiation, once; null if there is none to push. */
    String takeRenewed() {
        if (!renewed) {
            return null;
        }
        renewed = false;
        return token;
    }

    /** Forgets the secrets (the session is over). */
    void clear() {
        token = null;
        tokenSession = null;
        renewed = false;
    }
}
