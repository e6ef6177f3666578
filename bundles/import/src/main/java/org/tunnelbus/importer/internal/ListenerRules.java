package org.tunnelbus.importer.internal;

import java.util.Locale;

/**
 * The directives of the listener ({@link Pids#LISTENER}) and of client certificate checks ({@link Pids#AUTH}):
 * socket, TLS, control-channel protection, timers, and the key material they name.
 */
final class ListenerRules {
    private final ServerMapper m;
    private final Report r;

    ListenerRules(ServerMapper m) {
        this.m = m;
        this.r = m.report();
    }

    /** False when the directive is not one of these. */
    boolean map(String name, Directive d) throws ImportException {
        switch (name) {
            case "port", "lport" -> integer(d, "port", 1, 65535);
            case "local" -> local(d);
            case "proto" -> proto(d);
            case "cd" -> cd(d);
            case "ca" -> ca(d);
            case "cert" -> material(d, "server.crt", false, "cert");
            case "key" -> material(d, "server.key", true, "key");
            case "tls-crypt" -> material(d, "tls-crypt.key", true, "tls.crypt");
            case "tls-auth" -> tlsAuth(d);
            case "key-direction" -> keyDirection(d);
            case "crl-verify" -> crl(d);
            case "auth" -> auth(d);
            case "tls-version-min" -> tlsVersionMin(d);
            case "reneg-sec" -> integer(d, "reneg.sec", 0, Integer.MAX_VALUE);
            case "reneg-bytes" -> integer(d, "reneg.bytes", 0, Integer.MAX_VALUE);
            case "hand-window" -> integer(d, "hand.window", 5, 3600);
            case "tls-timeout" -> integer(d, "tls.timeout", 1, 60);
            case "max-clients" -> integer(d, "max.clients", 1, 0xFFFFFE);
            case "verify-x509-name" -> verifyName(d);
            case "remote-cert-tls", "remote-cert-eku" -> eku(d);
            case "verify-client-cert" -> verifyClientCert(d);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void integer(Directive d, String property, int min, int max) {
        // reneg-sec MAX [MIN] (2.6): the optional second argument has no counterpart; the first is what matters
        if (!Args.count(r, d, 1, d.name().equals("reneg-sec") ? 2 : 1)) {
            return;
        }
        Integer v = Args.number(r, d, 0, min, max);
        if (v != null) {
            m.listener().put(property, v);
            r.mapped(d, Pids.LISTENER + ": " + property + " = " + v);
        }
    }

    private void local(Directive d) {
        String host = d.arg(0);
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            r.unsupported(d, "the listen address must be an IP address literal, not the name '" + host + "'");
            return;
        }
        m.listener().put("listen", host);
        r.mapped(d, Pids.LISTENER + ": listen = " + host);
    }

    private void proto(Directive d) {
        String p = d.arg(0) == null ? "" : d.arg(0).toLowerCase(Locale.ROOT);
        switch (p) {
            case "udp", "udp4" -> {
                m.listener().put("proto", "udp");
                r.mapped(d, Pids.LISTENER + ": proto = udp");
            }
            case "udp6" -> {
                m.listener().put("proto", "udp");
                if ("0.0.0.0".equals(m.listener().get("listen"))) {
                    m.listener().put("listen", "::"); // an earlier 'local' wins
                }
                r.mapped(d, Pids.LISTENER + ": proto = udp, listen = :: (unless 'local' says otherwise)");
            }
            case "tcp", "tcp-server", "tcp4", "tcp4-server", "tcp6", "tcp6-server" -> {
                m.listener().put("proto", "tcp");
                r.note(d, Pids.LISTENER + ": proto = tcp; needs the TCP transport module, which is being added "
                        + "(a listener without it refuses the configuration)");
            }
            default -> r.unsupported(d, "unknown protocol '" + p + "'");
        }
    }

    private void cd(Directive d) {
        if (Args.count(r, d, 1, 1)) {
            m.keys().changeDirectory(d.arg(0));
            r.note(d, "used by the import: later relative file names were read from " + d.arg(0));
        }
    }

    private void ca(Directive d) throws ImportException {
        String ref = m.plan().material("ca.crt", m.keys().read(d), false);
        m.listener().put("ca", ref);
        m.auth().put("ca", ref);
        r.mapped(d, Pids.LISTENER + ": ca, " + Pids.AUTH + ": ca = import/" + m.plan().name() + "/ca.crt");
    }

    private void material(Directive d, String file, boolean secret, String property) throws ImportException {
        String ref = m.plan().material(file, m.keys().read(d), secret);
        m.listener().put(property, ref);
        r.mapped(d, Pids.LISTENER + ": " + property + " = import/" + m.plan().name() + "/" + file
                + (secret ? " (mode 0600)" : ""));
    }

    private void tlsAuth(Directive d) throws ImportException {
        material(d, "tls-auth.key", true, "tls.auth");
        m.tlsAuth(d);
        String dir = d.isInline() ? null : d.arg(1);
        if (dir != null) {
            keyDirection(new Directive(d.line(), "key-direction", java.util.List.of(dir), null));
        }
    }

    private void keyDirection(Directive d) {
        if (!Args.count(r, d, 1, 1) || Args.number(r, d, 0, 0, 1) == null) {
            return;
        }
        m.keyDirection(d);
    }

    private void crl(Directive d) throws ImportException {
        if (!d.isInline() && d.args().size() > 1) {
            r.unsupported(d, "'crl-verify DIR dir' (a directory of revoked serials) is not supported; use a CRL file");
            return;
        }
        String ref = m.plan().material("crl.pem", m.keys().read(d), false);
        m.auth().put("crl", ref);
        requireCertAuth();
        r.mapped(d, Pids.AUTH + ": crl = import/" + m.plan().name() + "/crl.pem");
    }

    private void auth(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String digest = OptionValues.digest(d.arg(0));
        if (digest == null) {
            r.unsupported(d, "the tls-auth digest must be SHA1, SHA256 or SHA512");
            return;
        }
        m.listener().put("auth", digest);
        r.mapped(d, Pids.LISTENER + ": auth = " + digest + " (data channel: AEAD ciphers need no digest)");
    }

    private void tlsVersionMin(Directive d) {
        if (!Args.count(r, d, 1, 2)) {
            return;
        }
        String v = OptionValues.tlsVersionMin(d.arg(0));
        if (v == null) {
            r.unsupported(d, "unknown TLS version '" + d.arg(0) + "'");
            return;
        }
        m.listener().put("tls.version.min", v);
        r.mapped(d, Pids.LISTENER + ": tls.version.min = " + v + (v.equals(d.arg(0)) ? "" : " (Tunnelbus never accepts less)"));
    }

    private void verifyName(Directive d) {
        if (!Args.count(r, d, 1, 2)) {
            return;
        }
        String type = d.arg(1) == null ? "subject" : d.arg(1);
        if (!type.equals("subject") && !type.equals("name") && !type.equals("name-prefix")) {
            r.unsupported(d, "unknown type '" + type + "' (subject, name or name-prefix)");
            return;
        }
        m.auth().put("verify.x509.name", d.arg(0));
        m.auth().put("verify.x509.type", type);
        requireCertAuth();
        r.mapped(d, Pids.AUTH + ": verify.x509.name, verify.x509.type = " + type);
    }

    private void eku(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String value = d.name().equals("remote-cert-tls") ? ServerMapper.eku(d.arg(0)) : d.arg(0);
        if (d.name().equals("remote-cert-tls") && !d.arg(0).equals("client")) {
            r.unsupported(d, "a server checks client certificates: 'remote-cert-tls client'");
            return;
        }
        m.auth().put("require.eku", value);
        requireCertAuth();
        r.mapped(d, Pids.AUTH + ": require.eku = " + value);
    }

    private void verifyClientCert(Directive d) {
        if ("require".equals(d.arg(0))) {
            r.note(d, "implied: Tunnelbus always requires a client certificate");
        } else {
            r.unsupported(d, "clients without a certificate are not accepted (no username/password authentication yet)");
        }
    }

    /** The checks live in auth-cert: without it running, clients must be refused rather than let in unchecked. */
    private void requireCertAuth() {
        m.listener().put("auth.required", java.util.List.of("cert"));
    }
}
