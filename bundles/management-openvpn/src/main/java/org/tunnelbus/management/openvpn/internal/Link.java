package org.tunnelbus.management.openvpn.internal;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** One accepted management connection, whatever the socket (unix or TCP). */
record Link(InputStream in, OutputStream out, Closeable socket, String peer) {
}
