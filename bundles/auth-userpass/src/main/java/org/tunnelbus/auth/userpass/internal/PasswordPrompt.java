package org.tunnelbus.auth.userpass.internal;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password: from the terminal without echo, twice (a typo would lock the user out), or, when
 * there is no terminal (scripts, tests), the first line of stdin. Returned arrays are the caller's to wipe.
 */
final class PasswordPrompt {
    private final Console console;
    private final InputStream stdin;

    PasswordPrompt(Console console, InputStream stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    /** @throws IOException why no password was read (empty, mismatch, not UTF-8) */
    char[] read(String name) throws IOException {
        char[] pw = console != null ? fromTerminal(name) : firstLine();
        if (pw.length == 0) {
            throw new IOException("empty password");
        }
        return pw;
    }

    private char[] fromTerminal(String name) throws IOException {
        char[] first = console.readPassword("Password for %s: ", name);
        char[] again = first == null ? null : console.readPassword("Again: ");
        if (first == null || again == null) {
            throw new IOException("no password (end of input)");
        }
        try {
            if (!Arrays.equals(first, again)) {
                Arrays.fill(first, '\0');
                throw new IOException("the passwords differ");
            }
            return first;
        } finally {
            Arrays.fill(again, '\0');
        }
    }

    private char[] firstLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = stdin.read()) >= 0 && b != '\n') {
            bytes.write(b);
        }
        byte[] raw = bytes.toByteArray();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw, 0, length));
            char[] pw = new char[chars.remaining()];
            chars.get(pw);
            Arrays.fill(chars.array(), '\0');
            return pw;
        } catch (CharacterCodingException e) {
            throw new IOException("the password on stdin is not UTF-8");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
