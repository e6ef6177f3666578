/**
 * Data-channel encryption: AEAD ciphers that seal and open packets in place, the providers of them, and the
 * per-session key state they are built from ({@link org.tunnelbus.api.crypto.DataKeys}, 0.2.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.tunnelbus.api.crypto;
