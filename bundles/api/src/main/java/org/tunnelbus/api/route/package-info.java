/**
 * The protocol/routing box: which session a packet goes to (IPv4, IPv6, TAP, mesh).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.route;
