package org.tunnelbus.api.tls;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One TLS session over the OpenVPN control channel (the SSL box's part). It is fed ciphertext in
 * reliable-layer order and produces ciphertext to send and plaintext records to read, through its
 * {@link TlsEngineListener}.
 *
 * <p><b>Implemented by</b> SSL modules. <b>Called by</b> the protocol module's control channel, from one
 * thread at a time per engine.
 */
@ConsumerType
public interface TlsEngine {
    /** Starts the handshake (a client produces its ClientHello). */
    void begin();

    /** Feeds ciphertext received from the peer, in order; fully consumed on return. */
    void receive(ByteBuffer ciphertext);

    /** Encrypts one application record (a key-method-2 message or a control message) for the peer. */
    void send(ByteBuffer plaintext);

    boolean isHandshakeComplete();

    /** The peer's verified chain (leaf first), or an empty list. */
    List<X509Certificate> peerCertificates();

    /**
     * RFC 5705 exporter with no context.
     *
     * @throws UnsupportedOperationException if this provider has no exporter
     */
    byte[] exportKeyingMaterial(String label, int length);

    /** The negotiated protocol and suite, for logs and status, e.g. {@code TLSv1.3/TLS_AES_256_GCM_SHA384}. */
    String describe();

    void close();
}
