package org.tunnelbus.tls.jsse.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.api.tls.TlsSpec;

class JsseTlsEngineTest {
    static final TestPki PKI = new TestPki("Tunnelbus Test CA");
    static final TestPki OTHER = new TestPki("Some Other CA");
    static final TestPki.Identity SERVER = PKI.server("server");
    static final TestPki.Identity CLIENT = PKI.client("client");

    static TlsEngineFactory factory(String max) {
        return new JsseTlsEngineFactory(TlsSettings.defaults().withVersions("1.2", max));
    }

    static Pipe pipe(TlsEngineFactory cf, TlsSpec client, TlsEngineFactory sf, TlsSpec server) {
        return new Pipe(end -> cf.create(client, end), end -> sf.create(server, end)).handshake();
    }

    static Pipe pipe(String version, TlsSpec client, TlsSpec server) {
        return pipe(factory(version), client, factory(version), server);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void handshakeThenRecordsBothWays(String version) {
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", false),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertNull(p.client.failure, p.client.toString());
        assertNull(p.server.failure, p.server.toString());
        assertTrue(p.client.complete && p.server.complete);
        assertTrue(p.client.engine.isHandshakeComplete() && p.server.engine.isHandshakeComplete());
        assertTrue(p.client.engine.describe().startsWith("TLSv" + version + "/TLS_"), p.client.engine.describe());
        assertEquals(p.client.engine.describe(), p.server.engine.describe());
        assertTrue(p.largestPiece <= Pipe.CHUNK);

        assertEquals(List.of(SERVER.chain().get(0), PKI.ca()), p.client.engine.peerCertificates());
        assertEquals(List.of(CLIENT.chain().get(0), PKI.ca()), p.server.engine.peerCertificates());

        byte[] big = new byte[2000];
        Arrays.fill(big, (byte) 'x');
        p.client.engine.send(Pipe.text("key method 2"));
        p.client.engine.send(ByteBuffer.wrap(big));
        p.client.engine.send(Pipe.text("PUSH_REQUEST\0"));
        p.server.engine.send(Pipe.text("PUSH_REPLY,ping 10\0"));
        p.run();
        assertEquals(3, p.server.records.size(), "one plaintext() per record");
        assertEquals("key method 2", new String(p.server.records.get(0), StandardCharsets.US_ASCII));
        assertArrayEquals(big, p.server.records.get(1));
        assertEquals("PUSH_REQUEST\0", new String(p.server.records.get(2), StandardCharsets.US_ASCII));
        assertEquals(1, p.client.records.size());
        assertEquals("PUSH_REPLY,ping 10\0", new String(p.client.records.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void recordsSentBeforeTheHandshakeEndsGoOutAfterIt() {
        TlsEngineFactory f = factory("1.3");
        Pipe p = new Pipe(end -> f.create(PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), end),
                end -> f.create(PKI.spec(TlsRole.SERVER, SERVER, "1.2", true), end));
        p.client.engine.begin();
        p.client.engine.send(Pipe.text("early"));
        p.server.engine.begin();
        p.run();
        assertTrue(p.client.complete && p.server.complete);
        assertEquals("early", new String(p.server.records.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void replyFromInsidePlaintextCallbackIsOrdered() {
        TlsEngineFactory f = factory("1.3");
        Pipe p = new Pipe(end -> f.create(PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), end),
                end -> f.create(PKI.spec(TlsRole.SERVER, SERVER, "1.2", true), end));
        p.server.onRecord = r -> p.server.engine.send(Pipe.text("echo " + new String(r, StandardCharsets.US_ASCII)));
        p.handshake();
        p.client.engine.send(Pipe.text("one"));
        p.client.engine.send(Pipe.text("two"));
        p.run();
        assertEquals(List.of("echo one", "echo two"),
                p.client.records.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void clientRefusesServerFromAnotherCa(String version) {
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true),
                OTHER.spec(TlsRole.SERVER, OTHER.server("impostor"), "1.2", true));
        assertNotNull(p.client.failure);
        assertTrue(p.client.failure.contains("not issued by a trusted CA"), p.client.failure);
        assertFalse(p.client.complete);
        assertNotNull(p.server.failure, "the server hears the alert");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void serverRefusesClientFromAnotherCa(String version) {
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, OTHER.client("mallory"), "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.contains("not issued by a trusted CA"), p.server.failure);
        assertFalse(p.server.complete);
        assertNotNull(p.client.failure, "the client hears the alert");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void serverRefusesExpiredClient(String version) {
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, PKI.expiredClient("old"), "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.contains("expired"), p.server.failure);
        assertTrue(p.server.failure.contains("CN=old"), p.server.failure);
        assertNotNull(p.client.failure, "the client hears the alert"); // JSSE servers say certificate_unknown
    }

    @Test
    void clientRefusesExpiredServer() {
        Pipe p = pipe("1.3", PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true),
                PKI.spec(TlsRole.SERVER, PKI.expiredServer("stale"), "1.2", true));
        assertTrue(p.client.failure.contains("expired"), p.client.failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void serverRefusesClientWithoutCertificateWhenRequired(String version) {
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, null, "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.contains("no certificate"), p.server.failure);
        assertFalse(p.server.complete);
        assertNotNull(p.client.failure, "the client hears the alert");
    }

    @Test
    void aChainThatIncludesTheRootIsAccepted() {
        TestPki.Identity withRoot = new TestPki.Identity(List.of(SERVER.chain().get(0), PKI.ca()), SERVER.key());
        Pipe p = pipe("1.2", PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), PKI.spec(TlsRole.SERVER, withRoot, "1.2", true));
        assertTrue(p.client.complete && p.server.complete, p.client + " / " + p.server);
        assertEquals(List.of(SERVER.chain().get(0), PKI.ca()), p.client.engine.peerCertificates());
    }

    @Test
    void serverAcceptsClientWithoutCertificateWhenNotRequired() {
        Pipe p = pipe("1.3", PKI.spec(TlsRole.CLIENT, null, "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", false));
        assertTrue(p.client.complete && p.server.complete, p.server + " / " + p.client);
        assertEquals(List.of(), p.server.engine.peerCertificates());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void aServerThatDoesNotAskGetsNoClientCertificate(String version) { // verify-client-cert none
        TlsSpec optional = PKI.spec(TlsRole.SERVER, SERVER, "1.2", false);
        TlsSpec none = new TlsSpec(optional.role(), optional.trustAnchors(), optional.chain(), optional.key(),
                optional.minVersion(), false, false);
        Pipe p = pipe(version, PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), none);
        assertTrue(p.client.complete && p.server.complete, p.server + " / " + p.client);
        assertEquals(List.of(), p.server.engine.peerCertificates());
        assertTrue(new TlsSpec(optional.role(), optional.trustAnchors(), optional.chain(), optional.key(), "1.2", true,
                false).requestPeerCertificate(), "required implies requested");
    }

    @Test
    void serverRefusesClientCertificateMadeForServers() {
        TestPki.Identity wrongPurpose = PKI.issue("not-a-client", KeyPurposeId.id_kp_serverAuth,
                java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600));
        Pipe p = pipe("1.3", PKI.spec(TlsRole.CLIENT, wrongPurpose, "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertTrue(p.server.failure.contains("extended key usage lacks clientAuth"), p.server.failure);
    }

    @Test
    void versionsThatDoNotMeetFail() {
        Pipe p = pipe(factory("1.2"), PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true),
                factory("1.3"), PKI.spec(TlsRole.SERVER, SERVER, "1.3", true));
        assertNotNull(p.client.failure);
        assertNotNull(p.server.failure);
        assertThrows(IllegalArgumentException.class,
                () -> factory("1.2").create(PKI.spec(TlsRole.CLIENT, CLIENT, "1.3", true), new Pipe.End("x")));
    }

    @Test
    void cipherSuiteAllowlistIsHonoured() {
        TlsEngineFactory f = new JsseTlsEngineFactory(
                new TlsSettings("1.3", "1.3", List.of("TLS_CHACHA20_POLY1305_SHA256")));
        Pipe p = pipe(f, PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), factory("1.3"),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertEquals("TLSv1.3/TLS_CHACHA20_POLY1305_SHA256", p.client.engine.describe());
    }

    @Test
    void noExporter() {
        TlsEngineFactory f = factory("1.3");
        assertFalse(f.supportsExporter());
        Pipe p = pipe(f, PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), f, PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        assertThrows(UnsupportedOperationException.class,
                () -> p.client.engine.exportKeyingMaterial("EXPORTER-OpenVPN-datakeys", 256));
    }

    @Test
    void closedEngineDropsInputAndRefusesOutput() {
        Pipe p = pipe("1.3", PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true),
                PKI.spec(TlsRole.SERVER, SERVER, "1.2", true));
        p.server.engine.close();
        p.client.engine.send(Pipe.text("late"));
        p.run();
        assertEquals(List.of(), p.server.records);
        assertNull(p.server.failure);
        assertThrows(IllegalStateException.class, () -> p.server.engine.send(Pipe.text("x")));
    }

    @Test
    void serverWithoutCertificateIsRefusedAtCreation() {
        assertThrows(IllegalArgumentException.class,
                () -> factory("1.3").create(PKI.spec(TlsRole.SERVER, null, "1.2", true), new Pipe.End("x")));
    }

    @Test
    void garbageFromThePeerFailsTheSessionWithoutThrowing() {
        TlsEngineFactory f = factory("1.3");
        Pipe.End end = new Pipe.End("server");
        end.engine = f.create(PKI.spec(TlsRole.SERVER, SERVER, "1.2", true), end);
        end.engine.begin();
        byte[] junk = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        end.engine.receive(ByteBuffer.wrap(junk));
        assertNotNull(end.failure);
        end.engine.receive(ByteBuffer.wrap(junk)); // dropped: the session is over
        assertFalse(end.engine.isHandshakeComplete());
        assertEquals("failed", end.engine.describe());
    }

    @Test
    void anInvalidReconfigurationIsRefusedAndTheLastGoodOneKept() {
        JsseTlsEngineFactory f = new JsseTlsEngineFactory(config("1.2", "1.2"));
        assertEquals("1.2", f.settings().maxVersion());
        f.modified(config("1.3", "1.2"), java.util.Map.of("felix.fileinstall.filename", "tls.cfg"));
        assertEquals("1.2", f.settings().minVersion(), "refused: min above max");
        f.modified(config("1.3", "1.3"), java.util.Map.of());
        assertEquals("1.3", f.settings().minVersion());
        assertThrows(IllegalArgumentException.class, () -> new JsseTlsEngineFactory(config("1.0", "1.3")));
    }

    static JsseTlsConfig config(String min, String max) {
        return new JsseTlsConfig() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() { return JsseTlsConfig.class; }
            public String tls_min_version() { return min; }
            public String tls_max_version() { return max; }
            public String[] tls_cipher_suites() { return new String[0]; }
            public int service_ranking() { return 0; }
        };
    }

    @Test
    void settingsAreValidatedWithThePropertyName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TlsSettings("1.1", "1.3", List.of()))
                .getMessage().startsWith("tls.min.version"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TlsSettings("1.3", "1.2", List.of()))
                .getMessage().contains("above tls.max.version"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings("1.2", "1.3", List.of("TLS_RSA_WITH_RC4_128_MD5"))).getMessage()
                .startsWith("tls.cipher.suites"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings("1.3", "1.3", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))).getMessage()
                .contains("no suite for TLS 1.3"));
        assertEquals("1.3", TlsSettings.defaults().effectiveMin("1.3"));
        assertEquals("1.3", new TlsSettings("TLSv1.3", "1.3", List.of()).effectiveMin("1.2"));
    }
}
