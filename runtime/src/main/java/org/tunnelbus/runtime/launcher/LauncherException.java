package org.tunnelbus.runtime.launcher;

/** A startup failure with a message meant for the operator: printed as one line, without a stack trace. */
final class LauncherException extends Exception {
    private static final long serialVersionUID = 1L;

    LauncherException(String message) {
        super(message);
    }
}
