package org.tunnelbus.openvpn.internal.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.tunnelbus.openvpn.internal.keys.KeySource;
import org.tunnelbus.openvpn.internal.wire.DropReason;
import org.tunnelbus.openvpn.internal.wire.ParseResult;

/**
 * Reads a {@link KeyMethod2Message} with strict bounds; garbage gives a {@link DropReason}, never an
 * exception (§3.1; {@code ssl.c key_method_2_read()}, {@code key_source2_read()}, {@code read_string()}).
 *
 * <p>Like stock: the leading u32 is skipped unchecked; only the low 4 bits of the method byte must be 2;
 * the options string is required and at most {@value KeyMethod2Message#MAX_OPTIONS_LENGTH} bytes with
 * its NUL; over-long credentials are flagged rather than refused; a record that ends after the options
 * (or after username/password) leaves the rest empty; bytes after the peer-info are ignored. A string's
 * value ends at its first NUL, as a C string does.
 */
final class KeyMethod2Parser {
    private static final int FIXED_HEADER = 5;

    private final ByteBuffer buf;
    private int at;
    private final int end;
    private DropReason failure;

    private KeyMethod2Parser(ByteBuffer buf) {
        this.buf = buf;
        this.at = buf.position();
        this.end = buf.limit();
    }

    static ParseResult<KeyMethod2Message> parse(ByteBuffer record, boolean fromClient, int maxCredentialLength) {
        return new KeyMethod2Parser(record).read(fromClient, maxCredentialLength);
    }

    private ParseResult<KeyMethod2Message> read(boolean fromClient, int maxCredentialLength) {
        if (end - at < FIXED_HEADER) {
            return ParseResult.refused(DropReason.KEY_METHOD_TRUNCATED);
        }
        if ((buf.get(at + 4) & 0x0F) != KeyMethod2Message.KEY_METHOD_2) {
            return ParseResult.refused(DropReason.KEY_METHOD_UNSUPPORTED);
        }
        at += FIXED_HEADER;
        KeySource source = readKeySource(fromClient);
        if (source == null) {
            return ParseResult.refused(DropReason.KEY_METHOD_TRUNCATED);
        }
        String options = readOptions();
        String username = readOptionalString(maxCredentialLength);
        String password = readOptionalString(maxCredentialLength);
        String peerInfo = readOptionalString(Integer.MAX_VALUE);
        if (failure != null) {
            return ParseResult.refused(failure);
        }
        boolean tooLong = username == null || password == null;
        return ParseResult.ok(KeyMethod2Message.parsed(source, options, tooLong ? "" : username,
                tooLong ? "" : password, peerInfo, tooLong));
    }

    private KeySource readKeySource(boolean fromClient) {
        int need = (fromClient ? KeySource.PRE_MASTER_LENGTH : 0) + 2 * KeySource.RANDOM_LENGTH;
        if (end - at < need) {
            return null;
        }
        byte[] pre = fromClient ? bytes(KeySource.PRE_MASTER_LENGTH) : null;
        return new KeySource(pre, bytes(KeySource.RANDOM_LENGTH), bytes(KeySource.RANDOM_LENGTH));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        buf.get(at, b);
        at += n;
        return b;
    }

    private String readOptions() {
        if (end - at < 2) {
            failure = DropReason.OPTIONS_STRING_MISSING;
            return null;
        }
        int len = buf.getShort(at) & 0xFFFF;
        if (len < 1) {
            failure = DropReason.OPTIONS_STRING_MISSING;
            return null;
        }
        if (len > KeyMethod2Message.MAX_OPTIONS_LENGTH) {
            failure = DropReason.OPTIONS_STRING_TOO_LONG;
            return null;
        }
        return readString(len);
    }

    /**
     * Reads an optional string: "" when the record ends here or the length is 0; null when it is longer
     * than {@code max} (skipped).
     */
    private String readOptionalString(int max) {
        if (failure != null || at == end) {
            return "";
        }
        if (end - at < 2) {
            failure = DropReason.STRING_TRUNCATED;
            return "";
        }
        int len = buf.getShort(at) & 0xFFFF;
        if (len == 0) {
            at += 2;
            return "";
        }
        if (len > max) {
            at = Math.min(end, at + 2 + len);
            return null;
        }
        return readString(len);
    }

    private String readString(int len) {
        if (end - at - 2 < len) {
            failure = DropReason.STRING_TRUNCATED;
            return "";
        }
        int from = at + 2;
        int n = 0;
        while (n < len - 1 && buf.get(from + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        buf.get(from, b);
        at = from + len;
        return new String(b, StandardCharsets.UTF_8);
    }
}
