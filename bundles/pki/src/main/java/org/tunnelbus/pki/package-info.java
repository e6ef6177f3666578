/**
 * The Tunnelbus certificate authority: a CA kept in a state directory that issues server and client
 * certificates for OpenVPN-compatible TLS and publishes a CRL. Used at first start (the server's own
 * certificate) and by {@code bin/tunnelbus profile NAME} (a client's certificate and key).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.pki;
