package org.tunnelbus.openvpn.internal.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client sends as username and password in key method 2, as stock does ({@code ssl.c
 * key_method_2_write()}, {@code push.c receive_auth_failed()}):
 *
 * <ul>
 * <li>the {@code auth.user.pass} file, read again at every connection attempt ({@link #load});</li>
 * <li>once the server pushed {@code auth-token}, that token instead of the password, with the same username
 *     (or the pushed {@code auth-token-user}), for renegotiations and reconnections, until the server refuses it
 *     ({@link #dropToken}) or the configuration changes ({@link #clear});</li>
 * <li>no file configured: empty username and password (certificate-only servers).</li>
 * </ul>
 *
 * One per connector, used on its control thread only. Neither password nor token is ever logged.
 */
public final class ClientCredentials {
    /** Username and password of one key-method-2 record; the caller wipes {@code password} once it is sent. */
    public record Secret(String username, byte[] password) {
        static final Secret EMPTY = new Secret("", new byte[0]);

        @Override
        public String toString() {
            return "Secret[" + username + "]";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentials.class);

    private UserPass file;
    private String problem;
    private String fileUser;
    private String token;
    private String tokenUser;

    /**
     * Reads the credentials file ({@link ClientSettings#authUserPass()}, null for none) for the next connection,
     * replacing and wiping what the previous connection read.
     *
     * @return null, or why the client cannot connect, naming the property
     */
    public String load(Path path) {
        forgetPassword();
        if (path == null) {
            return null;
        }
        try {
            file = UserPass.read(path);
            fileUser = file.username();
            return null;
        } catch (IllegalArgumentException e) {
            return "property '" + ClientSettings.AUTH_USER_PASS + "': " + e.getMessage();
        }
    }

    /**
     * {@link #load} before a connection attempt, logging a problem once as an error (not at every retry) and when it
     * is gone.
     *
     * @param owner the client configuration, for the log
     * @return whether the file (if any) is readable; nothing may be sent to the server until it is
     */
    public boolean reload(Path path, String owner) {
        String now = load(path);
        if (now != null && !now.equals(problem)) {
            LOG.error("OpenVPN client {}: {}; not connecting until it is fixed (checked at every attempt)", owner, now);
        } else if (now == null && problem != null) {
            LOG.info("OpenVPN client {}: {} is readable again", owner, path);
        }
        problem = now;
        return now == null;
    }

    /** For a key-method-2 record now: the token if we have one, else the file's password, else nothing. */
    public Secret next() {
        String username = tokenUser != null ? tokenUser : fileUser != null ? fileUser : "";
        if (token != null && !username.isEmpty()) { // stock: a token without a username is not 'defined'
            return new Secret(username, token.getBytes(StandardCharsets.UTF_8));
        }
        return file == null ? Secret.EMPTY : new Secret(file.username(), file.password());
    }

    /**
     * A pushed {@code auth-token}: sent instead of the password from the next key method 2 on. The password is
     * wiped: this connection no longer needs it, and the next one reads the file again.
     */
    public void token(String value) {
        if (!value.isEmpty()) {
            token = value;
            forgetPassword();
        }
    }

    /** A pushed {@code auth-token-user} (base64, as stock {@code set_auth_token_user()} decodes it). */
    public void tokenUser(String base64) {
        try {
            String decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            tokenUser = decoded.isEmpty() ? null : decoded;
        } catch (IllegalArgumentException e) {
            tokenUser = null; // stock: "Error decoding auth-token-username"; the file's username stays
        }
    }

    public boolean hasToken() {
        return token != null;
    }

    /**
     * The server refused us (AUTH_FAILED). If we had sent a token, it may just have expired, or the server
     * restarted: forget it and log in again with the password.
     *
     * @return whether there was a token (then reconnect; else stop, as stock's default {@code auth-retry none})
     */
    public boolean dropToken() {
        boolean had = token != null;
        token = null;
        tokenUser = null;
        return had;
    }

    /** Wipes the password read from the file; {@link #load} reads it again. */
    public void forgetPassword() {
        if (file != null) {
            file.wipe();
            file = null;
        }
    }

    /** A new configuration: nothing of the previous session's credentials is used again. */
    public void clear() {
        forgetPassword();
        fileUser = null;
        problem = null;
        dropToken();
    }
}
