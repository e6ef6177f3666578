/**
 * The authentication box: schemes that verify (server) or supply (client) a peer's credentials.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tunnelbus.api.auth;
