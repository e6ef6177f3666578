package org.tunnelbus.openvpn.internal.link;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;

import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.channel.ChannelContext;

/**
 * What every control channel gets from its endpoint, listener or client connection alike: the clock, randomness,
 * control packets out through the endpoint's {@link TransportLinkSink}, keepalive pings into the data path. The
 * endpoints extend it with what their role needs and may count what goes out.
 */
public abstract class EndpointContext implements ChannelContext {
    private final InstantSource clock;
    private final SecureRandom random;
    private final TransportLinkSink link;
    private final PacketBus bus;
    private final DataInjector injector;

    protected EndpointContext(InstantSource clock, SecureRandom random, TransportLinkSink link, PacketBus bus) {
        this.clock = clock;
        this.random = random;
        this.link = link;
        this.bus = bus;
        this.injector = new DataInjector(bus);
    }

    @Override
    public final InstantSource clock() {
        return clock;
    }

    @Override
    public final SecureRandom random() {
        return random;
    }

    @Override
    public final void transmit(InetSocketAddress to, ByteBuffer datagram) {
        transmitted(link.sendNow(bus.allocator(), to, datagram)); // a drop is resent by the reliable layer
    }

    @Override
    public final void sendPing(Session session) {
        pinged(injector.ping(session));
    }

    /** Sends {@code payload} (an OCC message) to the session's peer through the data channel. */
    public final boolean sendData(Session session, byte[] payload) {
        return injector.send(session, payload);
    }

    /** A control packet went out ({@code dropped} null) or was dropped ({@code dropped} is the counter name). */
    protected void transmitted(String dropped) {
    }

    /** A keepalive ping went out, or the packet pool was empty. */
    protected void pinged(boolean sent) {
    }

    protected final TransportLinkSink link() {
        return link;
    }
}
