package org.tunnelbus.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tunnelbus.api.tls.TlsEngineFactory;
import org.tunnelbus.api.tls.TlsRole;
import org.tunnelbus.tls.jsse.internal.JsseTlsEngineFactory;

/**
 * Bouncy Castle against JSSE, both ways round, TLS 1.2 and 1.3, through the in-memory control-channel pipe
 * (ciphertext in pieces of at most 1100 bytes): the two SSL modules must interoperate on the wire.
 */
class CrossHandshakeTest {
    static final TestPki PKI = new TestPki("Tunnelbus Test CA");
    static final TestPki.Identity SERVER = PKI.server("server");
    static final TestPki.Identity CLIENT = PKI.client("client");

    static TlsEngineFactory factory(String provider, String version) {
        return provider.equals("bc")
                ? new BcTlsEngineFactory(TlsSettings.defaults().withVersions("1.2", version))
                : new JsseTlsEngineFactory(org.tunnelbus.tls.jsse.internal.TlsSettings.defaults().withVersions("1.2", version));
    }

    static Pipe pipe(String clientProvider, String serverProvider, String version, TestPki.Identity client,
            boolean require) {
        TlsEngineFactory cf = factory(clientProvider, version);
        TlsEngineFactory sf = factory(serverProvider, version);
        return new Pipe(end -> cf.create(PKI.spec(TlsRole.CLIENT, client, "1.2", true), end),
                end -> sf.create(PKI.spec(TlsRole.SERVER, SERVER, "1.2", require), end)).handshake();
    }

    @ParameterizedTest(name = "{0} client <-> {1} server, TLS {2}")
    @CsvSource({"bc, jsse, 1.2", "bc, jsse, 1.3", "jsse, bc, 1.2", "jsse, bc, 1.3"})
    void handshakeAndRecordsBothWays(String clientProvider, String serverProvider, String version) {
        Pipe p = pipe(clientProvider, serverProvider, version, CLIENT, true);
        assertNull(p.client.failure, p.client.toString());
        assertNull(p.server.failure, p.server.toString());
        assertTrue(p.client.complete && p.server.complete);
        assertTrue(p.largestPiece <= Pipe.CHUNK);
        String described = p.client.engine.describe();
        assertTrue(described.startsWith("TLSv" + version + "/TLS_"), described);
        assertEquals(described, p.server.engine.describe());
        System.out.printf("cross %s client <-> %s server: %s, %d control pieces%n", clientProvider, serverProvider,
                described, p.pieces);

        assertEquals(List.of(SERVER.chain().get(0), PKI.ca()), p.client.engine.peerCertificates());
        assertEquals(List.of(CLIENT.chain().get(0), PKI.ca()), p.server.engine.peerCertificates());

        byte[] keyMethod2 = new byte[1400]; // longer than one control packet
        new Random(7).nextBytes(keyMethod2);
        p.client.engine.send(ByteBuffer.wrap(keyMethod2));
        p.client.engine.send(Pipe.text("PUSH_REQUEST\0"));
        p.server.engine.send(ByteBuffer.wrap(keyMethod2));
        p.server.engine.send(Pipe.text("PUSH_REPLY,route-gateway 10.8.0.1,ping 10,peer-id 0,cipher AES-256-GCM\0"));
        p.run();
        assertEquals(2, p.server.records.size());
        assertArrayEquals(keyMethod2, p.server.records.get(0));
        assertEquals("PUSH_REQUEST\0", new String(p.server.records.get(1), StandardCharsets.US_ASCII));
        assertEquals(2, p.client.records.size());
        assertArrayEquals(keyMethod2, p.client.records.get(0));
        assertTrue(new String(p.client.records.get(1), StandardCharsets.US_ASCII).startsWith("PUSH_REPLY,"));
    }

    @ParameterizedTest(name = "{0} client <-> {1} server, TLS {2}")
    @CsvSource({"bc, jsse, 1.2", "bc, jsse, 1.3", "jsse, bc, 1.2", "jsse, bc, 1.3"})
    void expiredClientIsRefused(String clientProvider, String serverProvider, String version) {
        Pipe p = pipe(clientProvider, serverProvider, version, PKI.expiredClient("old"), true);
        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.contains("expired"), p.server.failure);
        assertFalse(p.server.complete);
        assertNotNull(p.client.failure, "the client hears the alert");
    }

    @ParameterizedTest(name = "{0} client <-> {1} server, TLS {2}")
    @CsvSource({"bc, jsse, 1.2", "bc, jsse, 1.3", "jsse, bc, 1.2", "jsse, bc, 1.3"})
    void missingClientCertificateIsRefused(String clientProvider, String serverProvider, String version) {
        Pipe p = pipe(clientProvider, serverProvider, version, null, true);
        assertNotNull(p.server.failure);
        assertTrue(p.server.failure.contains("no certificate"), p.server.failure);
        assertNotNull(p.client.failure, "the client hears the alert");
    }

    @ParameterizedTest(name = "{0} client")
    @ValueSource(strings = {"bc", "jsse"})
    void serverFromAnotherCaIsRefused(String clientProvider) {
        TestPki other = new TestPki("Some Other CA");
        TlsEngineFactory cf = factory(clientProvider, "1.3");
        TlsEngineFactory sf = factory(clientProvider.equals("bc") ? "jsse" : "bc", "1.3");
        Pipe p = new Pipe(end -> cf.create(PKI.spec(TlsRole.CLIENT, CLIENT, "1.2", true), end),
                end -> sf.create(other.spec(TlsRole.SERVER, other.server("impostor"), "1.2", true), end)).handshake();
        assertNotNull(p.client.failure);
        assertTrue(p.client.failure.contains("not issued by a trusted CA"), p.client.failure);
        assertNotNull(p.server.failure, "the server hears the alert");
    }
}
