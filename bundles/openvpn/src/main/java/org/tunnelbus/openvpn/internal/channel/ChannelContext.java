package org.tunnelbus.openvpn.internal.channel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;

import org.tunnelbus.api.session.Session;

/**
 * What a control channel needs from the endpoint that owns it (a server listener or a client connector): the clock,
 * randomness, the socket, and the data path for keepalive pings. Called on the endpoint's control thread only.
 */
public interface ChannelContext {
    InstantSource clock();

    SecureRandom random();

    /** Sends one wire-form control packet (the remaining bytes of {@code datagram}) to {@code to} now. */
    void transmit(InetSocketAddress to, ByteBuffer datagram);

    /** Sends a keepalive ping to the session's peer through the data channel (§6.5). */
    void sendPing(Session session);
}
