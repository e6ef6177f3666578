package org.tunnelbus.api.crypto;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One direction of one data-channel key: an AEAD that seals or opens packets in place.
 *
 * <p><b>Implemented by</b> crypto providers, created by their {@link DataChannelCipherFactory}. <b>Called
 * by</b> the crypto stages; an instance belongs to one session's context and is used by one thread at a
 * time.
 *
 * <p>The nonce is the 4-byte packet id followed by the 8-byte implicit IV given at creation (OpenVPN's
 * AEAD format); the tag is written to / read from {@code tagOffset}, which in OpenVPN precedes the
 * ciphertext.
 */
@ConsumerType
public interface DataChannelCipher {
    /** The OpenVPN cipher name, e.g. {@code AES-256-GCM}. */
    String name();

    /** Tag length in bytes (16). */
    int tagLength();

    /**
     * Encrypts {@code [offset, offset+length)} of {@code buf} in place and writes the tag at
     * {@code tagOffset}; authenticates {@code [aadOffset, aadOffset+aadLength)}.
     */
    void seal(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length, int tagOffset);

    /**
     * Verifies and decrypts in place.
     *
     * @return false if the tag does not verify (the bytes are then unspecified)
     */
    boolean open(int packetId, ByteBuffer buf, int aadOffset, int aadLength, int offset, int length, int tagOffset);
}
