/**
 * Sessions: the per-peer state that the core owns (keys, counters, negotiated options) and modules read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.session;
