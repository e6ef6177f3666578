package org.tunnelbus.handshake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tunnelbus.handshake.internal.ClientOverrideTest.entry;
import static org.tunnelbus.handshake.internal.ClientOverrideTest.peer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.handshake.ConfigUpdate;
import org.tunnelbus.api.handshake.ConfigUpdate.Delivery;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.Prefix;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.testsupport.TestSession;

/** What a live edit of the push configuration means for clients that are connected already. */
class ConfigUpdateTest {
    private static final String GLOBAL_ROUTE = "route 192.168.1.0 255.255.255.0";
    private static final String[] NONE = new String[0];

    private final Map<Prefix, Session> routed = new HashMap<>();
    private final PushHandshake handshake = new PushHandshake(new ClientOverrideTest.Routes(routed),
            new ClientOverrideTest.NoSessions(), HandshakeTest.config("10.8.0.0/24", "AES-256-GCM", GLOBAL_ROUTE), Map.of());
    private final TestSession carol = new TestSession("carol");
    private final TestSession dave = new TestSession("dave");

    @Test
    void nothingChangedIsNoUpdate() throws Exception {
        handshake.serve(carol, peer("carol"));
        assertNull(handshake.update(carol));
        handshake.bindOverride(entry("someone-else", "", new String[] { "route 10.1.0.0 255.255.0.0" }, false, NONE, false));
        assertNull(handshake.update(carol), "another client's configuration changes nothing for carol");
    }

    @Test
    void anAddedRouteIsAPushUpdateOfAllRoutesAndRemovingItAgainToo() throws Exception {
        handshake.serve(carol, peer("carol"));
        handshake.serve(dave, peer("dave"));
        ClientOverrideEntry extra = entry("carol", "", new String[] { "route 10.60.0.0 255.255.255.0" }, false, NONE, false);
        handshake.bindOverride(extra);

        ConfigUpdate update = handshake.update(carol);
        assertEquals(Delivery.UPDATE, update.delivery());
        assertEquals(List.of(GLOBAL_ROUTE, "route 10.60.0.0 255.255.255.0"), update.options(),
                "the first route of an update replaces all the client has, so all are sent");
        assertTrue(update.reason().contains("push 'route 10.60.0.0 255.255.255.0' added"), update.reason());
        assertTrue(carol.get(TunnelConfig.KEY).options().contains("route 10.60.0.0 255.255.255.0"));
        assertNull(handshake.update(carol), "each change is reported once");
        assertNull(handshake.update(dave));

        handshake.unbindOverride(extra);
        assertEquals(List.of(GLOBAL_ROUTE), handshake.update(carol).options());
    }

    @Test
    void routesThatAreAllGoneAreRemovedByKind() throws Exception {
        handshake.serve(carol, peer("carol"));
        handshake.bindOverride(entry("carol", "", new String[] { "dhcp-option DNS 10.8.0.1" }, true, NONE, false));
        assertEquals(List.of("-route", "dhcp-option DNS 10.8.0.1"), handshake.update(carol).options());
    }

    @Test
    void aNewFixedAddressOrAnotherKindOfOptionNeedsAReconnectAndDisableADisconnect() throws Exception {
        handshake.serve(carol, peer("carol"));
        handshake.serve(dave, peer("dave"));
        handshake.bindOverride(entry("carol", "10.8.0.50", NONE, false, NONE, false));
        ConfigUpdate moved = handshake.update(carol);
        assertEquals(Delivery.RECONNECT, moved.delivery());
        assertTrue(moved.reason().contains("10.8.0.50"), moved.reason());

        ClientOverrideEntry other = entry("dave", "", new String[] { "ping-timer-rem" }, false, NONE, false);
        handshake.bindOverride(other);
        assertEquals(Delivery.RECONNECT, handshake.update(dave).delivery());

        handshake.unbindOverride(other); // an edit: the old entry goes, the new one comes
        handshake.bindOverride(entry("dave", "", NONE, false, NONE, true));
        assertEquals(Delivery.DISCONNECT, handshake.update(dave).delivery());
    }

    @Test
    void anIrouteChangesOnTheServerAtOnceWithNothingToTellTheClient() throws Exception {
        handshake.serve(carol, peer("carol"));
        handshake.bindOverride(entry("carol", "", NONE, false, new String[] { "192.168.50.0/24" }, false));
        assertNull(handshake.update(carol));
        assertSame(carol, routed.get(Prefix.parse("192.168.50.0/24")));
        assertSame(carol, routed.get(Prefix.parse("10.8.0.2")), "its own address stays routed");
    }

    @Test
    void aChangedGlobalPushReachesEveryConnectedClient() throws Exception {
        handshake.serve(carol, peer("carol"));
        handshake.serve(dave, peer("dave"));
        handshake.modified(HandshakeTest.config("10.8.0.0/24", "AES-256-GCM", "route 192.168.2.0 255.255.255.0"), Map.of());
        assertEquals(List.of("route 192.168.2.0 255.255.255.0"), handshake.update(carol).options());
        assertEquals(List.of("route 192.168.2.0 255.255.255.0"), handshake.update(dave).options());
    }
}
