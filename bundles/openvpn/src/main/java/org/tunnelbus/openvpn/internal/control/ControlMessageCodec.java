package org.tunnelbus.openvpn.internal.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Control messages as they travel in TLS application records (§2.11, §5.1): ASCII text terminated by NUL,
 * one message per record.
 *
 * <p>Receiving follows {@code ssl_pkt.c extract_command_buffer()} and {@code forward.c
 * check_incoming_control_channel()}: a read is cut at NULs; trailing CR/LF are stripped; a message with
 * any non-printable character is discarded; bytes after the last NUL are discarded; the loop stops when
 * at most one byte is left.
 */
public final class ControlMessageCodec {
    /** {@code TLS_CHANNEL_BUF_SIZE}: the receiver handles one read of at most this many bytes. */
    public static final int MAX_MESSAGE_LENGTH = 2048;

    private ControlMessageCodec() {
    }

    /**
     * The record for {@code message}: its ASCII bytes and a NUL.
     *
     * @throws IllegalArgumentException if it is not printable ASCII or does not fit one read
     */
    public static byte[] encode(String message) {
        if (message.length() + 1 > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("control message longer than " + (MAX_MESSAGE_LENGTH - 1));
        }
        for (int i = 0; i < message.length(); i++) {
            if (!isPrintable(message.charAt(i))) {
                throw new IllegalArgumentException("control message with non-printable character at " + i);
            }
        }
        byte[] b = new byte[message.length() + 1];
        System.arraycopy(message.getBytes(StandardCharsets.US_ASCII), 0, b, 0, message.length());
        return b;
    }

    /**
     * Takes the next message from {@code buf}, advancing its position past it.
     *
     * @return the message ("" for a bare NUL); or null if there is no NUL left (the rest is consumed) or
     *         the message has non-printable characters
     */
    public static String next(ByteBuffer buf) {
        int start = buf.position();
        int nul = start;
        while (nul < buf.limit() && buf.get(nul) != 0) {
            nul++;
        }
        if (nul == buf.limit()) {
            buf.position(buf.limit());
            return null;
        }
        buf.position(nul + 1);
        int end = nul;
        while (end > start && (buf.get(end - 1) == '\r' || buf.get(end - 1) == '\n')) {
            end--;
        }
        byte[] text = new byte[end - start];
        buf.get(start, text);
        for (byte c : text) {
            if (!isPrintable((char) (c & 0xFF))) {
                return null;
            }
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * Every usable message in one read, in order. Empty messages are left out (stock passes them on only to
     * log them as unknown).
     */
    public static List<String> split(ByteBuffer buf) {
        List<String> messages = new ArrayList<>();
        while (buf.remaining() > 1) {
            String m = next(buf);
            if (m != null && !m.isEmpty()) {
                messages.add(m);
            }
        }
        return messages;
    }

    /** {@code isprint()} in the C locale. */
    private static boolean isPrintable(char c) {
        return c >= 0x20 && c < 0x7f;
    }
}
