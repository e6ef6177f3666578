/**
 * The TUN/TAP box: packet consumer and producer devices (part, parent callbacks).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.tunnelbus.api.device;
