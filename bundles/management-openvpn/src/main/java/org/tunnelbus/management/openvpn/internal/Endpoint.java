package org.tunnelbus.management.openvpn.internal;

import java.io.Closeable;
import java.io.IOException;

/** A listening socket of the management interface: accepts {@link Link}s until closed. */
interface Endpoint extends Closeable {
    /** Blocks until a client connects; throws once closed. */
    Link accept() throws IOException;

    /** For log lines: {@code unix:/path} or {@code tcp:127.0.0.1:7505}. */
    String describe();
}
