package org.tunnelbus.api.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Verifies a peer's credentials (the authentication box).
 *
 * <p><b>Implemented by</b> auth modules ({@code auth-cert}, {@code auth-userpass}), registered with property
 * {@value #SCHEME}. <b>Called by</b> the protocol module after key method 2 (server side); every configured
 * scheme must accept. May block briefly (file reads, hashing) but never on the data path.
 */
@ConsumerType
public interface Authenticator {
    /** Service property: the scheme, e.g. {@code cert} or {@code userpass}. */
    String SCHEME = "tunnelbus.auth.scheme";

    AuthResult authenticate(Credentials credentials);
}
