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
 * the configuration handshake (a session's tunnel address, its {@code iroute}s), by the routing stages and
 * by management. Lookups are lock-free and allocation-free (addresses are passed as primitives); updates
 * publish a new table.
 */
@ProviderType
public interface RouteTable {
    /** Routes {@code prefix} to {@code session}; a later add of the same prefix replaces the owner. */
    void add(Prefix prefix, Session session);

    /** Removes every route of {@code session}. */
    void removeAll(Session session);

    /** The session whose longest IPv4 prefix contains {@code address} (big-endian int), or null. */
    Session lookup4(int address);

    /** The session whose longest IPv6 prefix contains the address {@code hi:lo} (big-endian halves), or null. */
    Session lookup6(long hi, long lo);

    /** The routes of {@code session}. */
    Collection<Prefix> routes(Session session);
}
