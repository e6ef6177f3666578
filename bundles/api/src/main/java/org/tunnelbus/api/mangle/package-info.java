/**
 * Packet manglers: stages that rewrite packets in place (MSS clamp, TTL, DSCP, ...).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.mangle;
