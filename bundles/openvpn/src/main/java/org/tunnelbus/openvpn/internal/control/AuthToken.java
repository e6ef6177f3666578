package org.tunnelbus.openvpn.internal.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens as stock {@code --auth-gen-token} makes them (wire reference §3.1; stock auth_token.c), so the
 * stock client, which re-sends a pushed {@code auth-token} instead of the password, gets the same treatment:
 *
 * <pre>
 *   "SESS_ID_AT_" base64( session id (12 random bytes) | initial time (int64 BE) | time (int64 BE)
 *                         | HMAC-SHA256(key, username | session id | initial time | time) )
 * </pre>
 *
 * 60 bytes, 80 base64 characters without padding. A token is good while {@code time <= now < time + 2 * renewal}
 * (it is renewed at each renegotiation) and, with a lifetime, {@code now <= initial + lifetime}. The key is the
 * listener's, random per listener instance (stock without {@code auth-gen-token-secret}): tokens do not outlive
 * the process. Thread-safe (a new {@link Mac} per call).
 */
public final class AuthToken {
    public static final String PREFIX = "SESS_ID_AT_";
    static final int SESSION_ID_BYTES = 12;
    private static final int HMAC_BYTES = 32;
    private static final int DATA_BYTES = SESSION_ID_BYTES + 8 + 8 + HMAC_BYTES;
    private static final int TOKEN_CHARS = PREFIX.length() + DATA_BYTES / 3 * 4;

    /** What a verification found. */
    public enum Verdict {
        VALID, EXPIRED, INVALID
    }

    /** A verified token's session id and initial time, from which the renewed token is made. */
    public record Session(byte[] id, long initialSeconds) {
    }

    private final SecretKeySpec key;
    private final long renewalSeconds;
    private final long lifetimeSeconds;

    /**
     * @param renewalSeconds  the renegotiation interval: a token is good for twice that after it was issued
     * @param lifetimeSeconds 0: no limit; else how long after the first login tokens are accepted
     */
    public AuthToken(byte[] hmacKey, long renewalSeconds, long lifetimeSeconds) {
        this.key = new SecretKeySpec(hmacKey, "HmacSHA256");
        this.renewalSeconds = renewalSeconds;
        this.lifetimeSeconds = lifetimeSeconds;
    }

    /** Whether a password has the shape of a token (then it is verified as one, never as a password). */
    public static boolean looksLikeToken(CharSequence password) {
        return password.length() == TOKEN_CHARS && password.toString().startsWith(PREFIX);
    }

    /** A new session: a random session id, issued now. */
    public static Session newSession(SecureRandom random, long nowSeconds) {
        byte[] id = new byte[SESSION_ID_BYTES];
        random.nextBytes(id);
        return new Session(id, nowSeconds);
    }

    /** The token of {@code session} for {@code username}, issued at {@code nowSeconds}. */
    public String issue(String username, Session session, long nowSeconds) {
        ByteBuffer data = ByteBuffer.allocate(DATA_BYTES);
        data.put(session.id()).putLong(session.initialSeconds()).putLong(nowSeconds);
        data.put(hmac(username, data.array(), DATA_BYTES - HMAC_BYTES));
        return PREFIX + Base64.getEncoder().encodeToString(data.array());
    }

    /**
     * @param expected the session the token must belong to (on renegotiation), or null (a new connection)
     */
    public Verdict verify(String token, String username, Session expected, long nowSeconds) {
        Session s = session(token);
        if (s == null) {
            return Verdict.INVALID;
        }
        byte[] data = Base64.getDecoder().decode(token.substring(PREFIX.length()));
        byte[] mac = hmac(username, data, DATA_BYTES - HMAC_BYTES);
        boolean good = MessageDigest.isEqual(mac, Arrays.copyOfRange(data, DATA_BYTES - HMAC_BYTES, DATA_BYTES));
        if (!good || expected != null && !MessageDigest.isEqual(expected.id(), s.id())) {
            return Verdict.INVALID;
        }
        long issued = ByteBuffer.wrap(data, SESSION_ID_BYTES + 8, 8).getLong();
        boolean inWindow = nowSeconds >= issued && nowSeconds < issued + 2 * renewalSeconds && issued >= s.initialSeconds();
        boolean inLifetime = lifetimeSeconds == 0 || nowSeconds <= s.initialSeconds() + lifetimeSeconds;
        return inWindow && inLifetime ? Verdict.VALID : Verdict.EXPIRED;
    }

    /** The session id and initial time of a well-formed token (not verified), or null. */
    public static Session session(String token) {
        if (!looksLikeToken(token)) {
            return null;
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(token.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (data.length != DATA_BYTES) {
            return null;
        }
        return new Session(Arrays.copyOf(data, SESSION_ID_BYTES), ByteBuffer.wrap(data, SESSION_ID_BYTES, 8).getLong());
    }

    private byte[] hmac(String username, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
