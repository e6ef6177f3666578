package org.tunnelbus.transport.tcp.internal;

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
 * Opens {@link TcpTransport}s: the TCP socket box, registered with {@code tunnelbus.transport.protocol=tcp}.
 * A spec without remote listens and accepts any number of peers; with a remote it connects (client).
 *
 * <p>It has no configuration: address, batch size and buffers come with each {@link TransportSpec}. When the
 * component stops it closes every transport it opened, so no socket or thread of an old bundle revision
 * survives. Unlike UDP, TCP sessions cannot outlive their connection: the peers reconnect.
 */
@Component(service = TransportFactory.class, property = TransportFactory.PROTOCOL + "=tcp")
public final class TcpTransportFactory implements TransportFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransportFactory.class);

    private final Set<TcpTransport> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    @Override
    public Transport open(TransportSpec spec, TransportListener parent) throws IOException {
        if (stopped) {
            throw new IOException("cannot open TCP " + Addresses.format(spec.local())
                    + ": the TCP transport module is stopping");
        }
        TcpTransport[] self = new TcpTransport[1];
        TcpTransport t = TcpTransport.open(spec, parent, () -> open.remove(self[0]));
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
        List<TcpTransport> all = new ArrayList<>(open);
        if (!all.isEmpty()) {
            LOG.info("TCP transport module stopping: closing {} socket(s)", all.size());
        }
        for (TcpTransport t : all) {
            t.close("TCP transport module stopping");
        }
        open.clear();
    }
}
