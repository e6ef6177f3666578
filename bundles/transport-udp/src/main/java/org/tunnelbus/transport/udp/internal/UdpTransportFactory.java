package org.tunnelbus.transport.udp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportFactory;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.api.transport.TransportSpec;

/**
 * Opens {@link UdpTransport}s: the UDP socket box, registered with {@code tunnelbus.transport.protocol=udp}.
 *
 * <p>It has no configuration: what to bind, the batch size and socket buffers come with each
 * {@link TransportSpec}. When the component stops (bundle stopped or updated) it closes every transport it
 * opened, so no socket or thread of an old bundle revision survives; each listener learns it through
 * {@link TransportListener#closed} and reopens with the factory that replaces this one. Sessions are keyed by
 * peer address and outlive the socket, so the tunnels stay up.
 */
@Component(service = TransportFactory.class, property = TransportFactory.PROTOCOL + "=udp")
public final class UdpTransportFactory implements TransportFactory {
    private static final Logger LOG = LoggerFactory.getLogger(UdpTransportFactory.class);

    private final Set<UdpTransport> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    @Override
    public Transport open(TransportSpec spec, TransportListener parent) throws IOException {
        if (stopped) {
            throw new IOException("cannot bind UDP " + Addresses.format(spec.local()) + ": the UDP transport module is stopping");
        }
        UdpTransport[] self = new UdpTransport[1];
        UdpTransport t = UdpTransport.open(spec, parent, () -> open.remove(self[0]));
        self[0] = t;
        open.add(t);
        t.start();
        return t;
    }

    /** Transports opened by this factory and not yet closed. */
    int openCount() {
        return open.size();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        List<UdpTransport> all = new ArrayList<>(open);
        if (!all.isEmpty()) {
            LOG.info("UDP transport module stopping: closing {} socket(s)", all.size());
        }
        for (UdpTransport t : all) {
            t.close("UDP transport module stopping");
        }
        open.clear();
    }
}
