package org.tunnelbus.openvpn.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** PUSH_UPDATE as a 2.7 client applies it (options_parse.c apply_push_options, options.c update_option). */
class PushUpdateTest {
    private static final List<PushOption> HELD = options("route-gateway 10.8.0.1", "topology subnet",
            "route 192.168.1.0 255.255.255.0", "route 192.168.2.0 255.255.255.0", "dhcp-option DNS 10.8.0.1",
            "ifconfig 10.8.0.2 255.255.255.0", "cipher AES-256-GCM");

    @Test
    void theFirstRouteReplacesAllRoutesTheOthersAreAdded() {
        assertEquals(lines("route-gateway 10.8.0.1", "topology subnet", "dhcp-option DNS 10.8.0.1",
                "ifconfig 10.8.0.2 255.255.255.0", "cipher AES-256-GCM", "route 10.60.0.0 255.255.255.0",
                "route 10.61.0.0 255.255.255.0"),
                lines(PushUpdate.apply(HELD, options("route 10.60.0.0 255.255.255.0", "route 10.61.0.0 255.255.255.0"))));
    }

    @Test
    void aBareMinusRemovesEveryOptionOfThatKind() {
        List<PushOption> after = PushUpdate.apply(HELD, options("-route", "-dhcp-option"));
        assertEquals(lines("route-gateway 10.8.0.1", "topology subnet", "ifconfig 10.8.0.2 255.255.255.0",
                "cipher AES-256-GCM"), lines(after));
    }

    @Test
    void anOptionThatNeedsANewConnectionFailsTheUpdateUnlessItIsOptional() {
        assertNull(PushUpdate.apply(HELD, options("route 10.60.0.0 255.255.255.0", "ifconfig 10.8.0.9 255.255.255.0")));
        assertNull(PushUpdate.apply(HELD, options("-route 10.8.0.0")), "a removal takes no arguments");
        List<PushOption> after = PushUpdate.apply(HELD, options("?ping 5", "?route 10.60.0.0 255.255.255.0"));
        assertEquals("route 10.60.0.0 255.255.255.0", after.get(after.size() - 1).line(), "optional and updatable: applied");
        assertEquals(HELD.size() - 1, after.size());
    }

    @Test
    void theServerSplitsALongUpdateLikeAPushReply() {
        List<PushOption> many = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(PushOption.parse("route 10." + i + ".0.0 255.255.0.0"));
        }
        List<String> messages = PushReplyBuilder.build(PushReplyParser.UPDATE_COMMAND, many);
        assertEquals(2, messages.size());
        PushReplyCollector collector = new PushReplyCollector();
        assertNull(collector.add(PushReplyParser.parse(PushReplyParser.UPDATE_COMMAND, messages.get(0)).value()));
        assertEquals(many, collector.add(PushReplyParser.parse(PushReplyParser.UPDATE_COMMAND, messages.get(1)).value()));
    }

    private static List<PushOption> options(String... lines) {
        return java.util.Arrays.stream(lines).map(PushOption::parse).toList();
    }

    private static List<String> lines(String... lines) {
        return List.of(lines);
    }

    private static List<String> lines(List<PushOption> options) {
        return options.stream().map(PushOption::line).toList();
    }
}
