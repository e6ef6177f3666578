package org.tunnelbus.pki.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509CRL;
import java.util.Map;

import org.tunnelbus.pki.CertificateAuthority;
import org.tunnelbus.pki.IssuedCertificate;
import org.tunnelbus.pki.PkiException;

/**
 * {@code bin/tunnelbus revoke NAME [--home DIR]}: revokes NAME's certificate in the instance's CA and rewrites the
 * CRL (atomically; a running server's certificate check reads it at the next connect). The script then asks a
 * running instance to end NAME's session ({@code kill NAME} on the management socket). Runs outside the
 * framework, like {@link ProfileCommand}. Exit status: 0 revoked; 1 an error (no such certificate, no CA); 64 bad
 * usage.
 */
public final class RevokeCommand {
    private final PrintStream out;
    private final PrintStream err;

    RevokeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new RevokeCommand(System.out, System.err).run(args));
    }

    int run(String[] args) {
        String home = null;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length) {
                home = args[++i];
            } else if (name == null && !args[i].startsWith("-")) {
                name = args[i];
            } else {
                err.println("tunnelbus revoke: unexpected argument '" + args[i] + "'; usage: tunnelbus revoke NAME [--home DIR]");
                return 64;
            }
        }
        if (name == null || home == null) {
            err.println("tunnelbus revoke: usage: tunnelbus revoke NAME [--home DIR]");
            return 64;
        }
        return revoke(Paths.get(home).toAbsolutePath().normalize(), name);
    }

    private int revoke(Path h, String name) {
        try {
            CertificateAuthority ca = ProfileCommand.homeCa(h, Map.of("tunnelbus.home", h.toString()));
            IssuedCertificate cert = ca.find(name).orElseThrow(() -> new PkiException("no valid certificate named '" + name
                    + "' in " + ca.caCertificateFile().getParent()));
            X509CRL crl = ca.revoke(name);
            int revoked = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
            out.println("Revoked " + name + " (serial " + cert.certificate().getSerialNumber().toString(16) + "); " + ca.crlFile()
                    + " now lists " + revoked + " revoked certificate(s): the server refuses " + name + " from its next connect");
            return 0;
        } catch (ProfileCommand.CommandException | PkiException e) {
            err.println("tunnelbus revoke: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("tunnelbus revoke: " + e);
            return 1;
        }
    }
}
