package org.tunnelbus.openvpn.internal.wire;

import java.util.Locale;

/**
 * Why an incoming packet or message was refused. Every parser and checker of this bundle reports one of
 * these instead of throwing (DESIGN invariant 7); {@link #counterName()} is the name of the drop counter
 * that the networking layer increments.
 */
public enum DropReason {
    // framing (§1.2, §2.1)
    TOO_SHORT,
    UNKNOWN_OPCODE,
    /** A key-method-1 hard reset (opcodes 1, 2): 2.6 refuses these ({@code ssl.c tls_pre_decrypt()}). */
    OBSOLETE_OPCODE,
    NOT_CONTROL,
    NOT_DATA,
    UNDEFINED_SESSION_ID,
    TOO_MANY_ACKS,
    TRUNCATED_ACK_BLOCK,
    MISSING_MESSAGE_ID,

    // control-channel wrapping (§2.7, §2.8, §2.4)
    AUTHENTICATION_FAILED,
    REPLAY,
    /** A tls-crypt-v2 wrapped client key whose length field or size is wrong (§2.9). */
    WRAPPED_KEY_INVALID,

    // reliability layer (§2.1 receiver checks, §2.2)
    UNKNOWN_SESSION,
    ACK_SESSION_MISMATCH,
    KEY_ID_MISMATCH,
    RESET_WITH_NONZERO_MESSAGE_ID,
    BEYOND_RECEIVE_WINDOW,

    // stateless HMAC-cookie handshake (§2.5)
    COOKIE_BAD_OPCODE,
    COOKIE_BAD_KEY_ID,
    COOKIE_MISSING,
    COOKIE_ACK_OUT_OF_RANGE,
    COOKIE_MESSAGE_ID_OUT_OF_RANGE,
    COOKIE_MISMATCH,

    // key method 2 (§3.1)
    KEY_METHOD_TRUNCATED,
    KEY_METHOD_UNSUPPORTED,
    OPTIONS_STRING_MISSING,
    OPTIONS_STRING_TOO_LONG,
    STRING_TRUNCATED,

    // control messages and push (§2.11, §5)
    CONTROL_MESSAGE_INVALID,
    PUSH_REPLY_MALFORMED,

    // early negotiation TLVs in a hard reset (§2.6)
    TLV_MALFORMED,

    // data channel (§6.1, §6.3)
    DECRYPT_FAILED,
    MISSING_PAYLOAD;

    private final String counterName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The kebab-case drop-counter name, e.g. {@code too-many-acks}. */
    public String counterName() {
        return counterName;
    }
}
