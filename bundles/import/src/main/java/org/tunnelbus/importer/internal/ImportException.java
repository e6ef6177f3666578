package org.tunnelbus.importer.internal;

/** An import that cannot go on (exit status 1); the message says what and where. */
final class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    ImportException(String message) {
        super(message);
    }

    ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
