package org.tunnelbus.route.ip.internal;

import java.util.Collection;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;

/**
 * The route table service: which session owns which addresses. Writers copy the snapshot under the
 * object's monitor and publish it with one volatile write; readers (the routing stages, per packet) only
 * read the volatile field. A closed session's routes go with it.
 *
 * <p>The table is rebuilt from the sessions' {@link TunnelConfig} when the component activates, so a
 * restarted or upgraded routing module takes over live sessions (DESIGN invariant 4).
 */
@Component(service = {RouteTable.class, SessionListener.class, IpRouteTable.class})
public final class IpRouteTable implements RouteTable, SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(IpRouteTable.class);

    private volatile RouteSnapshot snapshot = RouteSnapshot.EMPTY;

    public IpRouteTable() {
    }

    @Activate
    public IpRouteTable(@Reference(cardinality = ReferenceCardinality.OPTIONAL) SessionRegistry sessions) {
        if (sessions != null) {
            sessions.sessions().forEach(this::restore);
        }
    }

    private void restore(Session session) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config != null && config.address() != null) {
            String host = config.address().split("/")[0];
            add(Prefix.parse(host), session);
        }
    }

    @Override
    public synchronized void add(Prefix prefix, Session session) {
        Session previous = snapshot.routes().get(prefix);
        snapshot = snapshot.with(prefix, session);
        if (previous != null && previous != session) {
            LOG.info("Route {} moved from session {} to {}", prefix, previous.name(), session.name());
        } else {
            LOG.debug("Route {} -> session {}", prefix, session.name());
        }
    }

    @Override
    public synchronized void removeAll(Session session) {
        snapshot = snapshot.without(session);
    }

    @Override
    public Session lookup4(int address) {
        return snapshot.lookup4(address);
    }

    @Override
    public Session lookup6(long hi, long lo) {
        return snapshot.lookup6(hi, lo);
    }

    @Override
    public Collection<Prefix> routes(Session session) {
        return snapshot.routesOf(session);
    }

    @Override
    public void closed(Session session, String reason) {
        removeAll(session);
    }
}
