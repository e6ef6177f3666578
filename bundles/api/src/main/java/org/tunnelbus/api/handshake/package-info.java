/**
 * The configuration handshake box: options agreement or server push/override.
 * 0.4.0: {@link org.tunnelbus.api.handshake.PeerOptions#KEY}, kept in the session by the handshake.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.tunnelbus.api.handshake;
