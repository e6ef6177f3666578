package org.tunnelbus.openvpn.internal.push;

import java.util.ArrayList;
import java.util.List;

import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.ParseResult;

/**
 * Reads a PUSH_REPLY control message (§5.2; {@code push.c process_incoming_push_msg()},
 * {@code process_incoming_push_reply()}, {@code options.c apply_push_options()}): {@code PUSH_REPLY} then
 * nothing (an empty reply) or {@code ,option} repeated. Empty items are skipped;
 * {@code push-continuation N} is taken out of the list into {@link PushReply#continuation()}.
 */
public final class PushReplyParser {
    static final String COMMAND = "PUSH_REPLY";
    /** OpenVPN 2.7's update of a connected client's options, in the same format ({@code push_util.c}). */
    public static final String UPDATE_COMMAND = "PUSH_UPDATE";
    static final String CONTINUATION = "push-continuation";

    private PushReplyParser() {
    }

    public static ParseResult<PushReply> parse(String message) {
        return parse(COMMAND, message);
    }

    /** Reads a message of this format that starts with {@code command} ({@code PUSH_UPDATE}). */
    public static ParseResult<PushReply> parse(String command, String message) {
        if (!message.startsWith(command)) {
            return ParseResult.refused(DropReason.PUSH_REPLY_MALFORMED);
        }
        String rest = message.substring(command.length());
        if (rest.isEmpty()) {
            return ParseResult.ok(new PushReply(List.of(), PushReply.NO_CONTINUATION));
        }
        if (rest.charAt(0) != ',') {
            return ParseResult.refused(DropReason.PUSH_REPLY_MALFORMED);
        }
        List<PushOption> options = new ArrayList<>();
        int continuation = PushReply.NO_CONTINUATION;
        for (String item : rest.substring(1).split(",")) {
            PushOption o = PushOption.parse(item);
            if (o == null) {
                continue;
            }
            if (o.name().equals(CONTINUATION)) {
                continuation = continuationValue(o);
                if (continuation < 0) {
                    return ParseResult.refused(DropReason.PUSH_REPLY_MALFORMED);
                }
            } else {
                options.add(o);
            }
        }
        return ParseResult.ok(new PushReply(options, continuation));
    }

    private static int continuationValue(PushOption o) {
        String v = o.argument(0);
        if ("1".equals(v)) {
            return PushReply.LAST_PART;
        }
        return "2".equals(v) ? PushReply.MORE_PARTS : -1;
    }
}
