package org.tunnelbus.openvpn.internal.wire;

import java.util.Objects;

/**
 * The outcome of parsing a message that becomes an object (key-method-2 record, push reply, ...): either
 * the value or the reason it was refused. Packet parsers on the hot path do not use this; they fill a
 * reusable holder and return a {@link DropReason} or null.
 */
public final class ParseResult<T> {
    private final T value;
    private final DropReason reason;

    private ParseResult(T value, DropReason reason) {
        this.value = value;
        this.reason = reason;
    }

    public static <T> ParseResult<T> ok(T value) {
        return new ParseResult<>(Objects.requireNonNull(value), null);
    }

    public static <T> ParseResult<T> refused(DropReason reason) {
        return new ParseResult<>(null, Objects.requireNonNull(reason));
    }

    public boolean isOk() {
        return reason == null;
    }

    /** The parsed value; only valid when {@link #isOk()}. */
    public T value() {
        if (reason != null) {
            throw new IllegalStateException("refused: " + reason.counterName());
        }
        return value;
    }

    /** Why parsing failed, or null on success. */
    public DropReason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isOk() ? "ok(" + value + ")" : "refused(" + reason.counterName() + ")";
    }
}
