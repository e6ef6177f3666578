package org.tunnelbus.api.auth;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What a peer presented.
 *
 * @param chain    the peer's verified certificate chain, leaf first (empty if none)
 * @param username the username from key method 2, or ""
 * @param password the password (or auth-token) from key method 2; never logged
 * @param peerInfo the peer's {@code IV_*} variables
 * @param remote   the peer's transport address
 * @param authToken true if {@code password} is an auth-token that the protocol module issued to this username
 *        and has verified (stock {@code auth-gen-token}): a password Authenticator accepts it without checking
 *        the password (it may still check that the user exists); the token is not a password of the user
 */
public record Credentials(List<X509Certificate> chain, String username, char[] password,
        Map<String, String> peerInfo, InetSocketAddress remote, boolean authToken) {
    /** Credentials whose password is the peer's own (no auth-token). */
    public Credentials(List<X509Certificate> chain, String username, char[] password, Map<String, String> peerInfo,
            InetSocketAddress remote) {
        this(chain, username, password, peerInfo, remote, false);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + username + ", certs=" + chain.size() + (authToken ? ", auth-token" : "") + ", from "
                + remote + "]";
    }
}
