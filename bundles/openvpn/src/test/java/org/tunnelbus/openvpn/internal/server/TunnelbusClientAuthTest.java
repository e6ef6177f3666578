package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;

/**
 * The Tunnelbus client's {@code auth.user.pass} against the Tunnelbus server engine with username/password
 * required and auth-gen-token: the password at the first key, the pushed token at renegotiations (renewed at
 * each), AUTH_FAILED that stops the client, and a missing file that holds it back until it appears.
 */
class TunnelbusClientAuthTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private Path dir;
    private ServerHarness server;
    private ClientHarness client;

    /** "alice"/"s3cret"; records "password" or "token" for every key method 2 it checks. */
    private final Authenticator users = (Credentials c) -> {
        seen.add(c.authToken() ? "token" : "password");
        boolean ok = c.username().equals("alice") && (c.authToken() || new String(c.password()).equals("s3cret"));
        return ok ? AuthResult.accept(c.username()) : AuthResult.refuse("wrong password");
    };

    private Path start(String credentials) throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-client-auth-");
        server = new ServerHarness(dir, Map.of("auth.required", new String[] {"cert", "userpass"},
                "auth.gen.token", "true", "reneg.sec", 3), Map.of());
        server.listener.bindAuthenticator(users, Map.of(Authenticator.SCHEME, "userpass"));
        Path file = dir.resolve("alice.txt");
        if (credentials != null) {
            Files.writeString(file, credentials);
        }
        client = new ClientHarness(server, new HashMap<>(Map.of("auth.user.pass", file.toString(),
                "connect.retry", 1, "connect.retry.max", 1)));
        return file;
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                ServerHarness.delete(dir);
            }
        }
    }

    @Test
    void logsInWithThePasswordThenRenegotiatesWithTheRenewedToken() throws Exception {
        start("alice\ns3cret\n");
        assertTrue(until(client::isUp, 10_000), "client up");
        assertEquals("password", seen.get(0));
        Session s = client.control().session();
        TunnelConfig config = s.get(TunnelConfig.KEY);
        assertFalse(config.toString().contains("SESS_ID_AT_"), "the token stays out of the tunnel configuration");
        // server renegotiations every ~3 s: each must present the (renewed) token; three outlive one token's 2 x 3 s
        assertTrue(until(() -> s.get(DataKeys.KEY) != null && s.get(DataKeys.KEY).send().keyId() >= 3, 15_000),
                "three renegotiations on the same connection");
        assertTrue(client.isUp());
        assertEquals(s, client.control().session(), "no reconnection");
        assertTrue(seen.size() >= 4 && seen.subList(1, seen.size()).stream().allMatch("token"::equals), seen.toString());
    }

    @Test
    void aWrongPasswordStopsTheClientWithoutRetrying() throws Exception {
        start("alice\nwrong\n");
        assertTrue(until(() -> !seen.isEmpty() && client.control() == null, 10_000), "refused, then down");
        Thread.sleep(3_000); // a retrying client would have tried twice more (connect.retry.max 1)
        assertEquals(List.of("password"), seen);
        assertNull(client.control());
    }

    @Test
    void aMissingFileHoldsTheClientBackUntilItAppears() throws Exception {
        Path file = start(null);
        Thread.sleep(2_000);
        assertTrue(seen.isEmpty(), "nothing sent without credentials");
        assertTrue(server.listener.controlChannels().isEmpty());
        Files.writeString(file, "alice\ns3cret\n");
        assertTrue(until(client::isUp, 10_000), "connects at the next attempt");
        assertEquals(List.of("password"), seen);
    }

    private static boolean until(BooleanSupplier done, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
