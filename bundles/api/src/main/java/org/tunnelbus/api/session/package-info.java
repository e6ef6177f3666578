/**
 * Sessions: the per-peer state that the core owns (keys, counters, negotiated options) and modules read.
 * 0.2.0: {@link org.tunnelbus.api.session.SessionListener#stateChanged}, {@link org.tunnelbus.api.session.PeerControl}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tunnelbus.api.session;
