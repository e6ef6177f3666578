package org.tunnelbus.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionState;

class SessionRegistryTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 1194);
    private static final SessionKey<String> CIPHER = SessionKey.of("cipher", String.class);

    @Test
    void peerIdsAreDenseAndBoundedAndFreedOnClose() {
        SessionRegistryImpl r = new SessionRegistryImpl(3);
        Session a = r.open(PEER);
        Session b = r.open(PEER);
        Session c = r.open(PEER);
        assertEquals(List.of(0, 1, 2), List.of(a.peerId(), b.peerId(), c.peerId()));
        assertThrows(IllegalStateException.class, () -> r.open(PEER));
        r.close(b, "test");
        assertNull(r.byPeerId(1));
        assertEquals(SessionState.CLOSED, b.state());
        Session d = r.open(PEER);
        assertEquals(1, d.peerId());
        assertSame(d, r.byPeerId(1));
        assertSame(a, r.byId(a.id()));
        assertNotEquals(b.id(), d.id(), "ids are never reused");
        assertNull(r.byPeerId(-1));
        assertNull(r.byPeerId(99));
        assertEquals(3, r.sessions().size());
    }

    @Test
    void listenersHearEveryStateChangeWithThePreviousStateButNotTheCloseTwice() {
        SessionRegistryImpl r = new SessionRegistryImpl(4);
        List<String> heard = new ArrayList<>();
        r.addListener(new SessionListener() {
            @Override
            public void stateChanged(Session s, SessionState previous) {
                heard.add(previous + ">" + s.state());
            }

            @Override
            public void closed(Session s, String reason) {
                heard.add("closed:" + reason);
            }
        });
        Session s = r.open(PEER);
        s.state(SessionState.ACTIVE);
        s.state(SessionState.ACTIVE); // no change, nothing to hear
        s.state(SessionState.RENEGOTIATING);
        s.state(SessionState.ACTIVE);
        r.close(s, "kicked");
        assertEquals(List.of("HANDSHAKE>ACTIVE", "ACTIVE>RENEGOTIATING", "RENEGOTIATING>ACTIVE", "closed:kicked"), heard);
    }

    @Test
    void freedPeerIdsAreReusedLast() {
        SessionRegistryImpl r = new SessionRegistryImpl(4);
        Session a = r.open(PEER);
        r.open(PEER);
        r.close(a, "gone");
        assertEquals(2, r.open(PEER).peerId());
        assertEquals(3, r.open(PEER).peerId());
        assertEquals(0, r.open(PEER).peerId());
    }

    @Test
    void valuesAndContextsLiveInTheSession() {
        SessionRegistryImpl r = new SessionRegistryImpl(8);
        Session s = r.open(PEER);
        assertNull(s.get(CIPHER));
        s.set(CIPHER, "AES-256-GCM");
        assertEquals("AES-256-GCM", s.get(CIPHER));
        List<SessionKey<Integer>> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SessionKey<Integer> k = SessionKey.of("k" + i, Integer.class);
            many.add(k);
            s.set(k, i);
        }
        for (int i = 0; i < 40; i++) {
            assertEquals(i, s.get(many.get(i)), "values survive the array growing");
        }
        assertEquals("AES-256-GCM", s.get(CIPHER));
        s.set(CIPHER, null);
        assertNull(s.get(CIPHER));

        AtomicInteger built = new AtomicInteger();
        SessionKey<StringBuilder> ctx = SessionKey.of("ctx", StringBuilder.class);
        StringBuilder first = s.context(ctx, x -> {
            built.incrementAndGet();
            return new StringBuilder("ctx of " + x.peerId());
        });
        assertSame(first, s.context(ctx, x -> new StringBuilder("again")));
        assertEquals(1, built.get());
    }

    @Test
    void byteCountersAndNames() {
        Session s = new SessionRegistryImpl(1).open(PEER);
        s.countIn(100);
        s.countIn(20);
        s.countOut(7);
        assertEquals(120, s.bytesIn());
        assertEquals(7, s.bytesOut());
        s.name("client1");
        assertEquals("client1", s.name());
        assertTrue(s.toString().contains("client1"));
    }

    @Test
    void listenersHearOpenAndCloseOnceOutsideTheLock() {
        SessionRegistryImpl r = new SessionRegistryImpl(4);
        List<String> events = new ArrayList<>();
        r.addListener(new SessionListener() {
            @Override
            public void opened(Session session) {
                // outside the lock: calling back into the registry must not deadlock
                events.add("open " + session.peerId() + " live=" + r.size());
            }

            @Override
            public void closed(Session session, String reason) {
                events.add("close " + session.peerId() + " " + reason);
            }
        });
        r.addListener(new SessionListener() {
            @Override
            public void opened(Session session) {
                throw new IllegalStateException("a broken listener does not stop the others");
            }
        });
        Session s = r.open(PEER);
        r.close(s, "ping-restart");
        r.close(s, "again");
        assertEquals(List.of("open 0 live=1", "close 0 ping-restart"), events);
    }
}
