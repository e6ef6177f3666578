/**
 * The socket box: transports that carry datagrams or streams to remote hosts (part, parent callbacks, factory).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.5.0")
package org.tunnelbus.api.transport;
