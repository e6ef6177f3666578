package org.tunnelbus.openvpn.internal.control;

/**
 * What a received control message is, decided by prefix in stock's order (§5.1; {@code forward.c
 * parse_incoming_control_channel_command()}, {@code push.c process_incoming_push_msg()}). Order matters:
 * {@code INFO_PRE} must be tested before {@code INFO}.
 */
public enum ControlMessageKind {
    AUTH_FAILED("AUTH_FAILED"),
    PUSH_REQUEST("PUSH_REQUEST"),
    PUSH_REPLY("PUSH_REPLY"),
    /** 2.7: new values of some pushed options for a connected client. */
    PUSH_UPDATE("PUSH_UPDATE"),
    RESTART("RESTART"),
    HALT("HALT"),
    INFO_PRE("INFO_PRE"),
    INFO("INFO"),
    CR_RESPONSE("CR_RESPONSE"),
    AUTH_PENDING("AUTH_PENDING"),
    EXIT("EXIT"),
    /** Any other {@code PUSH_...}: stock answers with a push error. */
    PUSH_OTHER("PUSH_"),
    /** Logged and ignored by stock. */
    UNKNOWN("");

    private final String prefix;

    ControlMessageKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public static ControlMessageKind of(String message) {
        if (message.startsWith("AUTH_FAILED")) {
            return AUTH_FAILED;
        }
        if (message.startsWith("PUSH_")) {
            return pushKind(message);
        }
        for (ControlMessageKind k : new ControlMessageKind[] {RESTART, HALT, INFO_PRE, INFO, CR_RESPONSE,
                AUTH_PENDING, EXIT}) {
            if (message.startsWith(k.prefix)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    private static ControlMessageKind pushKind(String message) {
        if (message.startsWith(PUSH_REQUEST.prefix)) {
            return PUSH_REQUEST;
        }
        if (message.startsWith(PUSH_UPDATE.prefix)) {
            return PUSH_UPDATE;
        }
        return message.startsWith(PUSH_REPLY.prefix) ? PUSH_REPLY : PUSH_OTHER;
    }
}
