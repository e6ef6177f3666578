/**
 * Data-channel encryption: AEAD ciphers that seal and open packets in place, and the providers of them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.crypto;
