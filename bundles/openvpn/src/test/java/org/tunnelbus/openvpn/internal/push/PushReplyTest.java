package org.tunnelbus.openvpn.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tunnelbus.openvpn.internal.ReferenceVectors;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/** §5.2: building, parsing and collecting PUSH_REPLY. */
class PushReplyTest {
    private static final List<PushOption> CAPTURED = List.of(
            PushOption.of("route-gateway", "10.8.0.1"), PushOption.of("topology", "subnet"),
            PushOption.of("ping", "2"), PushOption.of("ping-restart", "10"),
            PushOption.of("ifconfig", "10.8.0.2", "255.255.255.0"), PushOption.of("peer-id", "0"),
            PushOption.of("cipher", "AES-256-GCM"), PushOption.of("protocol-flags", "cc-exit", "tls-ekm", "dyn-tls-crypt"),
            PushOption.of("tun-mtu", "1500"));

    @Test
    void buildsTheCapturedReply() {
        assertEquals(List.of(ReferenceVectors.CAPTURE_PUSH_REPLY), PushReplyBuilder.build(CAPTURED));
    }

    @Test
    void parsesTheCapturedReply() {
        PushReply reply = PushReplyParser.parse(ReferenceVectors.CAPTURE_PUSH_REPLY).value();
        assertEquals(CAPTURED, reply.options());
        assertTrue(reply.isFinal());
        assertEquals("255.255.255.0", reply.find("ifconfig").orElseThrow().argument(1));
        assertEquals(List.of("cc-exit", "tls-ekm", "dyn-tls-crypt"),
                reply.find("protocol-flags").orElseThrow().arguments());
    }

    @Test
    void emptyReply() {
        assertEquals(List.of("PUSH_REPLY"), PushReplyBuilder.build(List.of()));
        PushReply r = PushReplyParser.parse("PUSH_REPLY").value();
        assertEquals(List.of(), r.options());
        assertTrue(r.isFinal());
    }

    @Test
    void refusesOtherMessages() {
        assertEquals(DropReason.PUSH_REPLY_MALFORMED, PushReplyParser.parse("PUSH_REPLYX").reason());
        assertEquals(DropReason.PUSH_REPLY_MALFORMED, PushReplyParser.parse("PUSH_REQUEST").reason());
        assertEquals(DropReason.PUSH_REPLY_MALFORMED, PushReplyParser.parse("PUSH_REPLY,push-continuation 3").reason());
    }

    @Test
    void skipsEmptyItemsAndHandlesQuotes() {
        PushReply r = PushReplyParser.parse("PUSH_REPLY,,ping 10,  ,setenv FOO \"a b\",").value();
        assertEquals(List.of(PushOption.of("ping", "10"), PushOption.of("setenv", "FOO", "a b")), r.options());
        assertNull(PushOption.parse("setenv \"open"));
        assertEquals("setenv FOO \"a b\"", r.options().get(1).line());
    }

    /** send_push_options(): parts end in push-continuation 2, the last in push-continuation 1. */
    @Test
    void longRepliesAreSplitAndCollectedBack() {
        List<PushOption> routes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            routes.add(PushOption.of("route", "10." + i + ".0.0", "255.255.0.0"));
        }
        List<String> parts = PushReplyBuilder.build(routes);
        assertTrue(parts.size() > 1);
        PushReplyCollector collector = new PushReplyCollector();
        List<PushOption> all = null;
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            assertTrue(part.length() < PushReplyBuilder.PUSH_BUNDLE_SIZE, part.length() + " bytes");
            boolean last = i == parts.size() - 1;
            assertTrue(part.endsWith(last ? ",push-continuation 1" : ",push-continuation 2"));
            PushReply reply = PushReplyParser.parse(part).value();
            assertEquals(last, reply.isFinal());
            all = collector.add(reply);
            assertEquals(last, all != null);
        }
        assertEquals(routes, all);
        assertFalse(collector.isPartial());
    }

    /** The split happens when the current length plus the next option reaches 940. */
    @Test
    void splitPointIsTheSafeCap() {
        String filler = "x".repeat(PushReplyBuilder.SAFE_CAP - "PUSH_REPLY".length() - 1 - 1 - "setenv A ".length());
        List<PushOption> opts = List.of(PushOption.of("setenv", "A", filler), PushOption.of("ping", "1"));
        List<String> parts = PushReplyBuilder.build(opts);
        assertEquals(PushReplyBuilder.SAFE_CAP - 1, "PUSH_REPLY".length() + 1 + opts.get(0).line().length());
        assertEquals(2, parts.size());
        assertEquals("PUSH_REPLY,ping 1,push-continuation 1", parts.get(1));
    }

    @Test
    void refusesOptionsThatCannotBeSent() {
        assertThrows(IllegalArgumentException.class, () -> PushReplyBuilder.build(List.of(PushOption.of("a", "b,c"))));
        assertThrows(IllegalArgumentException.class,
                () -> PushReplyBuilder.build(List.of(PushOption.of("setenv", "x".repeat(1000)))));
    }
}
