package org.tunnelbus.api.crypto;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes data-channel ciphers for the algorithms a provider supports.
 *
 * <p><b>Implemented by</b> crypto providers (the SSL modules), which check known-answer vectors when they
 * activate and register only if they pass; service property {@value #CIPHERS} lists the names.
 * <b>Called by</b> the crypto stages when a session's keys are installed (not per packet).
 */
@ConsumerType
public interface DataChannelCipherFactory {
    /** Service property: the cipher names this provider offers. */
    String CIPHERS = "tunnelbus.crypto.ciphers";

    Set<String> ciphers();

    /**
     * @param cipher     an OpenVPN cipher name from {@link #ciphers()}
     * @param key        the key (16 or 32 bytes)
     * @param implicitIv the 8-byte implicit IV
     * @param encrypt    true for the sending direction
     */
    DataChannelCipher create(String cipher, byte[] key, byte[] implicitIv, boolean encrypt);
}
