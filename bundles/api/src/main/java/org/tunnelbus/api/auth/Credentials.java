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
 */
public record Credentials(List<X509Certificate> chain, String username, char[] password,
        Map<String, String> peerInfo, InetSocketAddress remote) {
    @Override
    public String toString() {
        return "Credentials[user=" + username + ", certs=" + chain.size() + ", from " + remote + "]";
    }
}
