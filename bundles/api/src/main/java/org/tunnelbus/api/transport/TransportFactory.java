package org.tunnelbus.api.transport;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Opens transports of one protocol (the socket box's factory).
 *
 * <p><b>Implemented by</b> socket modules ({@code transport-udp}, {@code transport-tcp}), registered as a
 * whiteboard service with property {@value #PROTOCOL}. <b>Called by</b> the listener/connector components of
 * the protocol module when a listener configuration appears or a client connects.
 */
@ConsumerType
public interface TransportFactory {
    /** Service property: the protocol this factory opens, {@code udp} or {@code tcp}. */
    String PROTOCOL = "tunnelbus.transport.protocol";

    /**
     * Binds (server) or connects (client) as {@code spec} says and starts delivering received packets to
     * {@code parent}.
     *
     * @throws IOException with a message naming the address when binding or connecting fails
     */
    Transport open(TransportSpec spec, TransportListener parent) throws IOException;
}
