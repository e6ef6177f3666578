package org.tunnelbus.openvpn.internal.push;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the PUSH_REPLY message(s) for a list of options the way a stock server does (§5.2; {@code push.c
 * send_push_reply()}, {@code send_push_options()}): {@code PUSH_REPLY,opt,opt,...} in a buffer of
 * {@value #PUSH_BUNDLE_SIZE} bytes, of which {@value #EXTRA} are kept free. When the next option would
 * reach {@value #SAFE_CAP} bytes, the message is closed with {@code ,push-continuation 2} and a new one
 * begins; if there was more than one message, the last ends in {@code ,push-continuation 1}. With no
 * options the reply is a bare {@code PUSH_REPLY}.
 */
public final class PushReplyBuilder {
    /** {@code common.h PUSH_BUNDLE_SIZE}. */
    public static final int PUSH_BUNDLE_SIZE = 1024;
    /** Room kept for a trailing ifconfig and the continuation marker. */
    public static final int EXTRA = 84;
    public static final int SAFE_CAP = PUSH_BUNDLE_SIZE - EXTRA;

    private PushReplyBuilder() {
    }

    /**
     * @return the messages to send in order (without their NULs)
     * @throws IllegalArgumentException if an option contains a comma or is too long for any message
     */
    public static List<String> build(List<PushOption> options) {
        return build(PushReplyParser.COMMAND, options);
    }

    /**
     * The same for another command of this format: {@code PUSH_UPDATE} (2.7; {@code push_util.c} splits it the
     * same way).
     */
    public static List<String> build(String command, List<PushOption> options) {
        List<String> messages = new ArrayList<>();
        StringBuilder current = new StringBuilder(command);
        for (PushOption o : options) {
            String line = o.line();
            if (line.indexOf(',') >= 0) {
                throw new IllegalArgumentException("pushed options cannot contain commas: " + line);
            }
            if (current.length() + line.length() >= SAFE_CAP) {
                messages.add(current.append(',').append(PushReplyParser.CONTINUATION).append(" 2").toString());
                current = new StringBuilder(command);
            }
            if (current.length() + line.length() >= SAFE_CAP) {
                throw new IllegalArgumentException("push option is too long: " + line);
            }
            current.append(',').append(line);
        }
        if (!messages.isEmpty()) {
            current.append(',').append(PushReplyParser.CONTINUATION).append(" 1");
        }
        messages.add(current.toString());
        return messages;
    }
}
