package org.tunnelbus.openvpn.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;

/** How the listener combines Authenticators under verify.client.cert (require, optional, none). */
class ClientCertPolicyTest {
    private Path dir;
    private ServerHarness server;
    private final AtomicInteger passwordChecks = new AtomicInteger();
    private final Authenticator userpass = c -> {
        passwordChecks.incrementAndGet();
        return "alice".equals(c.username()) && "pw".equals(new String(c.password())) ? AuthResult.accept("")
                : AuthResult.refuse("wrong password");
    };

    private void start(String verify) throws Exception {
        dir = Files.createTempDirectory("tb-ovpn-verify-");
        server = new ServerHarness(dir, Map.of("verify.client.cert", verify, "auth.required", new String[0]), Map.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            ServerHarness.delete(dir);
        }
    }

    @Test
    void noneAsksNoCertificateAuthenticatorAndNeedsAnotherOne() throws Exception {
        start("none");
        AuthResult alone = server.listener.authenticateNow(creds(List.of(), "alice", "pw"));
        assertFalse(alone.accepted());
        assertEquals("no client certificate, and no other authenticator (e.g. auth-userpass) accepted the client "
                + "(verify.client.cert=none)", alone.reason());
        server.listener.bindAuthenticator(userpass, Map.of(Authenticator.SCHEME, "userpass"));
        assertTrue(server.listener.authenticateNow(creds(List.of(), "alice", "pw")).accepted(),
                "the cert authenticator (which would say 'no client certificate') is not asked");
        assertEquals("userpass: wrong password", server.listener.authenticateNow(creds(List.of(), "alice", "nope")).reason());
    }

    @Test
    void optionalVerifiesACertificateWhenSentAndOtherwiseNeedsAnotherAuthenticator() throws Exception {
        start("optional");
        assertFalse(server.listener.authenticateNow(creds(List.of(), "", "")).accepted());
        List<X509Certificate> chain = ServerHarnessCerts.clientChain(server);
        assertTrue(server.listener.authenticateNow(creds(chain, "", "")).accepted(), "a valid certificate alone");
        server.listener.bindAuthenticator(userpass, Map.of(Authenticator.SCHEME, "userpass"));
        assertTrue(server.listener.authenticateNow(creds(List.of(), "alice", "pw")).accepted());
        assertFalse(server.listener.authenticateNow(creds(chain, "alice", "nope")).accepted(), "every running one is asked");
    }

    @Test
    void requireAsksEveryAuthenticator() throws Exception {
        start("require");
        server.listener.bindAuthenticator(userpass, Map.of(Authenticator.SCHEME, "userpass"));
        List<X509Certificate> chain = ServerHarnessCerts.clientChain(server);
        assertTrue(server.listener.authenticateNow(creds(chain, "alice", "pw")).accepted());
        assertFalse(server.listener.authenticateNow(creds(chain, "alice", "nope")).accepted());
        assertEquals(2, passwordChecks.get());
    }

    private static Credentials creds(List<X509Certificate> chain, String user, String password) {
        return new Credentials(chain, user, password.toCharArray(), Map.of(), new InetSocketAddress("192.0.2.5", 40000));
    }
}
