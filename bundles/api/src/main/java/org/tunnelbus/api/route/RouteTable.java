package org.tunnelbus.api.route;

import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;
import org.tunnelbus.api.session.Session;

/**
 * Which session owns which addresses (the routing box's table). The routing stages read it for each
 * packet: OUTGOING, the destination picks the session; INCOMING, a destination owned by another session
 * sends the packet on to it (when client-to-client is on), anything else goes to the device.
 *
 * <p><b>Implemented by</b> the routing module ({@code route-ip}), registered as a service. <b>Called by</b>
 * the configuration handshake (a session's pushed address, its {@code iroute}s) and by management.
 * Lookups are lock-free; updates publish a new table.
 */
@ProviderType
public interface RouteTable {
    /** Routes {@code prefix} to {@code session}. */
    void add(Prefix prefix, Session session);

    /** Removes every route of {@code session}. */
    void removeAll(Session session);

    /** The session whose longest prefix contains {@code address} (raw 4 or 16 bytes), or null. */
    Session lookup(byte[] address);

    /** The routes of {@code session}. */
    Collection<Prefix> routes(Session session);
}
