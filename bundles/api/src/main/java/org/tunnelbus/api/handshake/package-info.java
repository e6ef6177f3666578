/**
 * The configuration handshake box: options agreement or server push/override.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.tunnelbus.api.handshake;
