package org.tunnelbus.openvpn.internal.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class AuthTokenTest {
    static final byte[] KEY = new byte[32];
    static {
        Arrays.fill(KEY, (byte) 7);
    }
    static final long T0 = 1_800_000_000L;
    final AuthToken tokens = new AuthToken(KEY, 3600, 0);
    final AuthToken.Session session = new AuthToken.Session(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, T0);

    @Test
    void theLayoutIsStocks() throws Exception {
        String token = tokens.issue("alice", session, T0 + 10);
        assertEquals(11 + 80, token.length());
        assertTrue(token.startsWith("SESS_ID_AT_"));
        byte[] data = Base64.getDecoder().decode(token.substring(11));
        assertEquals(60, data.length);
        assertArrayEquals(session.id(), Arrays.copyOf(data, 12));
        assertEquals(T0, ByteBuffer.wrap(data, 12, 8).getLong());
        assertEquals(T0 + 10, ByteBuffer.wrap(data, 20, 8).getLong());
        // HMAC-SHA256(key, username | session id | initial | now), computed independently
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        mac.update("alice".getBytes(StandardCharsets.UTF_8));
        mac.update(data, 0, 28);
        assertArrayEquals(mac.doFinal(), Arrays.copyOfRange(data, 28, 60));
        assertTrue(AuthToken.looksLikeToken(token));
        assertFalse(AuthToken.looksLikeToken("SESS_ID_AT_short"));
        assertFalse(AuthToken.looksLikeToken("correct horse battery staple"));
    }

    @Test
    void goodForTwoRenewalIntervalsFromIssueAndBoundToUserAndSession() {
        String token = tokens.issue("alice", session, T0 + 100);
        assertEquals(AuthToken.Verdict.VALID, tokens.verify(token, "alice", session, T0 + 100));
        assertEquals(AuthToken.Verdict.VALID, tokens.verify(token, "alice", null, T0 + 100 + 7199), "a reconnect");
        assertEquals(AuthToken.Verdict.EXPIRED, tokens.verify(token, "alice", session, T0 + 100 + 7200));
        assertEquals(AuthToken.Verdict.EXPIRED, tokens.verify(token, "alice", session, T0 + 99), "issued in the future");
        assertEquals(AuthToken.Verdict.INVALID, tokens.verify(token, "bob", session, T0 + 100));
        AuthToken.Session other = new AuthToken.Session(new byte[12], T0);
        assertEquals(AuthToken.Verdict.INVALID, tokens.verify(token, "alice", other, T0 + 100));
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertEquals(AuthToken.Verdict.INVALID, new AuthToken(otherKey, 3600, 0).verify(token, "alice", null, T0 + 100));
        char[] c = token.toCharArray();
        c[40] = c[40] == 'A' ? 'B' : 'A';
        assertEquals(AuthToken.Verdict.INVALID, tokens.verify(new String(c), "alice", null, T0 + 100));
    }

    @Test
    void aLifetimeCountsFromTheFirstLogin() {
        AuthToken limited = new AuthToken(KEY, 3600, 600);
        assertEquals(AuthToken.Verdict.VALID, limited.verify(limited.issue("a", session, T0 + 500), "a", session, T0 + 600));
        assertEquals(AuthToken.Verdict.EXPIRED, limited.verify(limited.issue("a", session, T0 + 500), "a", session, T0 + 601));
    }

    @Test
    void malformedTokensAreNotSessions() {
        assertNull(AuthToken.session("SESS_ID_AT_" + "!".repeat(80)));
        AuthToken.Session fresh = AuthToken.newSession(new SecureRandom(), T0);
        assertEquals(12, fresh.id().length);
        assertEquals(AuthToken.Verdict.INVALID, tokens.verify("SESS_ID_AT_" + "A".repeat(80), "alice", null, T0));
    }
}
