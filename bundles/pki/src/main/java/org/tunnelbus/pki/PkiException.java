package org.tunnelbus.pki;

import java.io.IOException;

/** A PKI operation failed; the message names the certificate name or the file and says why. */
public class PkiException extends IOException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
