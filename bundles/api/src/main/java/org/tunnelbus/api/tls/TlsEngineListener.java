package org.tunnelbus.api.tls;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The parent of a {@link TlsEngine} (the SSL box's parent callbacks).
 *
 * <p><b>Implemented by</b> the protocol module's control channel. <b>Called by</b> the engine, on the thread
 * that called it.
 */
@ProviderType
public interface TlsEngineListener {
    /** Ciphertext to carry to the peer in control packets. The buffer is only valid during the call. */
    void ciphertext(ByteBuffer data);

    /** One decrypted application record. The buffer is only valid during the call. */
    void plaintext(ByteBuffer record);

    /** The handshake finished and the peer's chain was verified. */
    void handshakeComplete();

    /** The engine failed; {@code reason} is one line for the log (e.g. "certificate expired"). */
    void failed(String reason);
}
