package org.tunnelbus.openvpn.internal.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.tunnelbus.openvpn.internal.control.KeyMethod2Message;

/**
 * The username and password of an {@code auth-user-pass} file (stock {@code misc.c get_user_pass_cr()}): the
 * username on line 1, the password on line 2, line ends ({@code \n}, {@code \r\n}) stripped. The password stays
 * in a byte array (UTF-8, as key method 2 sends it) that {@link #wipe()} zeroes; it never becomes a String,
 * so nothing of it is left to the garbage collector. {@link #toString()} shows the username only.
 */
public final class UserPass {
    /** {@code misc.h USER_PASS_LEN} minus the NUL: what a stock server reads at most. */
    static final int MAX_LENGTH = KeyMethod2Message.DEFAULT_MAX_CREDENTIAL_LENGTH - 1;

    private final String username;
    private final byte[] password;

    private UserPass(String username, byte[] password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Reads the file now (it is read again at every connection, so an edit applies at the next one).
     *
     * @throws IllegalArgumentException why the file cannot be used, without any of its content
     */
    public static UserPass read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return parse(content, file);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    static UserPass parse(byte[] content, Path file) {
        int end1 = lineEnd(content, 0);
        int start2 = Math.min(end1 + 1, content.length);
        byte[] user = Arrays.copyOfRange(content, 0, chomp(content, 0, end1));
        byte[] password = Arrays.copyOfRange(content, start2, chomp(content, start2, lineEnd(content, start2)));
        String problem = user.length == 0 ? "the username (line 1) is empty"
                : password.length == 0 ? "the password (line 2) is empty or missing (a prompt is not supported)"
                : user.length > MAX_LENGTH || password.length > MAX_LENGTH ? "username or password is longer than "
                        + MAX_LENGTH + " bytes"
                : indexOf(password, (byte) 0) >= 0 || indexOf(user, (byte) 0) >= 0 ? "contains a NUL byte" : null;
        if (problem != null) {
            Arrays.fill(password, (byte) 0);
            throw new IllegalArgumentException(file + ": " + problem);
        }
        return new UserPass(new String(user, StandardCharsets.UTF_8), password);
    }

    private static int lineEnd(byte[] b, int from) {
        int i = indexOf(b, from, (byte) '\n');
        return i < 0 ? b.length : i;
    }

    /** Without a trailing CR (a file written on Windows). */
    private static int chomp(byte[] b, int from, int end) {
        return end > from && b[end - 1] == '\r' ? end - 1 : end;
    }

    private static int indexOf(byte[] b, byte value) {
        return indexOf(b, 0, value);
    }

    private static int indexOf(byte[] b, int from, byte value) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    public String username() {
        return username;
    }

    /** A copy of the password (UTF-8) that the caller wipes once it is sent. */
    public byte[] password() {
        return password.clone();
    }

    /** Zeroes the password; the object is of no further use. */
    public void wipe() {
        Arrays.fill(password, (byte) 0);
    }

    @Override
    public String toString() {
        return "UserPass[" + username + "]";
    }
}
