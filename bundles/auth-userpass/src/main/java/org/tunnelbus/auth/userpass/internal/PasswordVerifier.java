package org.tunnelbus.auth.userpass.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

import org.tunnelbus.api.auth.AuthResult;

/**
 * The decision for one username and password under one configuration: throttled address, users file
 * usable, user known, password matches (or a verified auth-token stands in for it) — in that order; the first
 * failure is the reason.
 *
 * <p>An unknown user costs as much as a wrong password (a dummy argon2id hash with the default parameters is
 * checked), so the time of a refusal does not tell which user names exist.
 */
final class PasswordVerifier {
    private final UserPassSettings settings;
    private final UserStore store;
    private final FailureThrottle throttle;
    private final PasswordHash dummy;

    PasswordVerifier(UserPassSettings settings, UserStore store, FailureThrottle throttle, SecureRandom random) {
        this.settings = settings;
        this.store = store;
        this.throttle = throttle;
        char[] nothing = new char[16];
        this.dummy = Argon2idHash.create(nothing, random);
    }

    UserPassSettings settings() {
        return settings;
    }

    UserStore store() {
        return store;
    }

    /**
     * @param authToken the password is a session token the protocol module issued to this username and verified:
     *                  no password check, but a user deleted since is refused
     */
    AuthResult verify(String username, char[] password, InetSocketAddress remote, boolean authToken) {
        InetAddress from = remote == null ? null : remote.getAddress();
        long blocked = throttle.blockedFor(from);
        if (blocked > 0) {
            return AuthResult.refuse("too many failed logins from this address; refused without checking for another "
                    + (blocked + 999) / 1000 + " s");
        }
        if (username.isEmpty()) {
            // no failure counted: a client without auth-user-pass is a configuration mistake, not a guess
            return AuthResult.refuse("no username and password (the client needs auth-user-pass)");
        }
        Users users = store.current();
        if (users == null) {
            return AuthResult.refuse("the users file " + store.file() + " cannot be used: " + store.problem());
        }
        PasswordHash hash = Users.isValidName(username) ? users.get(username) : null;
        if (hash == null) {
            dummy.matches(password);
            throttle.failed(from);
            return AuthResult.refuse("unknown user '" + LogSafe.name(username) + "'");
        }
        if (authToken) {
            return AuthResult.accept("");
        }
        if (!hash.matches(password)) {
            throttle.failed(from);
            return AuthResult.refuse("wrong password for user '" + username + "'");
        }
        throttle.succeeded(from);
        // The identity stays the certificate's CN when there is one, as stock without username-as-common-name;
        // the listener falls back to the username for clients without a certificate.
        return AuthResult.accept("");
    }
}
