/**
 * The SSL box: TLS engines that run the control channel (part, parent callbacks, factory).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.tunnelbus.api.tls;
