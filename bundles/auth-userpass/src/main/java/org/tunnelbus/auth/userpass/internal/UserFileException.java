package org.tunnelbus.auth.userpass.internal;

import java.io.IOException;

/** A users file that cannot be used; the message names the line (1-based) and why, never a hash. */
final class UserFileException extends IOException {
    private static final long serialVersionUID = 1L;

    UserFileException(int line, String why) {
        super("line " + line + ": " + why);
    }
}
