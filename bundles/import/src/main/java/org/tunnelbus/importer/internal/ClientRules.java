package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client directives that set a property of the client connection ({@link ClientMapper#file()}): the
 * server and transport, key material and server certificate checks, control-channel protection, ciphers,
 * timers and the TUN device.
 */
final class ClientRules {
    private static final String SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
    private static final String SERVER_AUTH_NAME = "TLS Web Server Authentication";

    private final ClientMapper m;
    private final Report r;

    ClientRules(ClientMapper m) {
        this.m = m;
        this.r = m.report();
    }

    /** False when the directive is not one of these. */
    boolean map(String name, Directive d) throws ImportException {
        switch (name) {
            case "remote" -> remote(d);
            case "proto" -> proto(d);
            case "port", "rport" -> port(d);
            case "lport" -> number(d, "lport", 0, 65535);
            case "local" -> local(d);
            case "cd" -> cd(d);
            case "ca" -> material(d, "ca.crt", false, "ca");
            case "cert" -> material(d, "client.crt", false, "cert");
            case "key" -> material(d, "client.key", true, "key");
            case "tls-crypt" -> material(d, "tls-crypt.key", true, "tls.crypt");
            case "tls-auth" -> tlsAuth(d);
            case "auth-user-pass" -> authUserPass(d);
            case "auth-retry" -> authRetry(d);
            case "key-direction" -> keyDirection(d);
            case "auth" -> auth(d);
            case "tls-version-min" -> tlsVersionMin(d);
            case "remote-cert-tls" -> remoteCertTls(d);
            case "remote-cert-eku" -> remoteCertEku(d);
            case "verify-x509-name" -> verifyName(d);
            case "data-ciphers", "ncp-ciphers" -> dataCiphers(d);
            case "cipher" -> cipher(d);
            case "reneg-sec" -> renegSec(d);
            case "reneg-bytes" -> number(d, "reneg.bytes", 0, Integer.MAX_VALUE);
            case "hand-window" -> number(d, "hand.window", 5, 3600);
            case "connect-timeout", "server-poll-timeout" -> number(d, "connect.timeout", 1, 3600);
            case "tls-timeout" -> number(d, "tls.timeout", 1, 60);
            case "connect-retry" -> connectRetry(d);
            case "remote-random" -> {
                if (Args.count(r, d, 0, 0)) {
                    put(d, "remote.random", Boolean.TRUE);
                }
            }
            case "dev" -> dev(d);
            case "dev-type" -> devType(d);
            case "tun-mtu" -> number(d, "device.mtu", 576, 9000);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * remote HOST [PORT [PROTO]]: the first one sets port and protocol; further ones are more servers, tried in order
     * (entries of the {@code remote} list), if they use the same protocol.
     */
    private void remote(Directive d) {
        if (!Args.count(r, d, 1, 3) || (d.arg(1) != null && Args.number(r, d, 1, 1, 65535) == null)) {
            return;
        }
        String proto = d.arg(2) == null ? null : clientProto(d.arg(2));
        if (d.arg(2) != null && proto == null) {
            r.unsupported(d, "the client connects over udp or tcp (IPv4), not '" + d.arg(2) + "'");
            return;
        }
        if (m.remote() != null) {
            anotherRemote(d, proto);
            return;
        }
        m.remote(d);
        m.client().put("remote", d.arg(0));
        if (d.arg(1) != null) {
            m.client().put("port", Integer.valueOf(d.arg(1)));
        } else {
            m.client().putIfAbsent("port", 1194);
        }
        if (proto != null) {
            m.client().put("proto", proto); // a remote's own protocol wins over --proto, as in openvpn
        }
        r.mapped(d, m.file() + ": remote = " + d.arg(0) + ", port = " + m.client().get("port")
                + (proto == null ? "" : ", proto = " + proto));
    }

    /** A further server: one more entry of the {@code remote} list ("HOST" or "HOST PORT"). */
    private void anotherRemote(Directive d, String proto) {
        Object first = m.client().get("proto");
        if (proto != null && first != null && !proto.equals(first)) {
            r.unsupported(d, "every server of a client connection is reached with one protocol (" + first
                    + ", from line " + m.remote().line() + ")");
            return;
        }
        List<String> all = new ArrayList<>();
        Object current = m.client().get("remote");
        if (current instanceof List<?> l) {
            l.forEach(x -> all.add(x.toString()));
        } else {
            all.add(String.valueOf(current));
        }
        all.add(d.arg(1) == null ? d.arg(0) : d.arg(0) + " " + d.arg(1));
        m.client().put("remote", List.copyOf(all));
        r.mapped(d, m.file() + ": remote += " + all.get(all.size() - 1) + " (tried after the ones before it)");
    }

    private void proto(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String proto = clientProto(d.arg(0));
        if (proto == null) {
            r.unsupported(d, "the client connects over udp or tcp (IPv4), not '" + d.arg(0) + "'");
        } else if (m.remote() != null && m.remote().arg(2) != null) {
            r.note(d, "the 'remote' on line " + m.remote().line() + " names its own protocol, which wins (as in openvpn)");
        } else {
            m.client().put("proto", proto);
            r.mapped(d, m.file() + ": proto = " + proto);
        }
    }

    /** The client's {@code proto} for an openvpn protocol name, or null if the client has no such transport. */
    private static String clientProto(String openvpn) {
        String p = openvpn.toLowerCase(Locale.ROOT);
        if (p.matches("udp4?")) {
            return "udp";
        }
        return p.matches("tcp4?(-client)?") ? "tcp" : null;
    }

    /** port/rport: the server's port for a 'remote' that names none (openvpn's order: remote's own port wins). */
    private void port(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        Integer port = Args.number(r, d, 0, 1, 65535);
        if (port == null) {
            return;
        }
        if (m.remote() != null && m.remote().arg(1) != null) {
            r.note(d, "ignored: 'remote' on line " + m.remote().line() + " names its port");
            return;
        }
        m.client().put("port", port);
        r.mapped(d, m.file() + ": port = " + port + (d.name().equals("port") ? " (the client binds no port: nobind)" : ""));
    }

    private void local(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        if (!d.arg(0).matches("[0-9.]+|[0-9a-fA-F:]+")) {
            r.unsupported(d, "the local address must be an IP address literal, not the name '" + d.arg(0) + "'");
            return;
        }
        put(d, "local", d.arg(0));
    }

    private void cd(Directive d) {
        if (Args.count(r, d, 1, 1)) {
            m.keys().changeDirectory(d.arg(0));
            r.note(d, "used by the import: later relative file names were read from " + d.arg(0));
        }
    }

    private void material(Directive d, String file, boolean secret, String property) throws ImportException {
        m.client().put(property, m.plan().material(file, m.keys().read(d), secret));
        r.mapped(d, m.file() + ": " + property + " = import/" + m.plan().name() + "/" + file + (secret ? " (mode 0600)" : ""));
    }

    /**
     * auth-user-pass FILE, or an inline {@code <auth-user-pass>} block: username and password, copied as a secret.
     * Without either (or with {@code username-only}), or with a file that has no password line, stock prompts on
     * the console, which a service cannot answer.
     */
    private void authUserPass(Directive d) throws ImportException {
        if (!d.isInline() && (d.arg(0) == null || d.arg(0).equals("username-only"))) {
            r.unsupported(d, "without a file stock prompts for username and password on the console; the client "
                    + "needs them in a file: auth-user-pass FILE (username on line 1, password on line 2)");
            return;
        }
        String content = m.keys().read(d);
        if (content.lines().skip(1).findFirst().orElse("").isEmpty()) {
            r.unsupported(d, "the credentials have no password (line 2), for which stock would prompt; add it");
            return;
        }
        m.client().put("auth.user.pass", m.plan().material("auth-user-pass.txt", content, true));
        r.mapped(d, m.file() + ": auth.user.pass = import/" + m.plan().name() + "/auth-user-pass.txt (mode 0600)");
    }

    /** Only stock's default, none: AUTH_FAILED stops the client. */
    private void authRetry(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        if (d.arg(0).equals("none")) {
            r.note(d, "implied: AUTH_FAILED stops the client (a refused auth-token logs in again with the password)");
        } else {
            r.unsupported(d, "the client stops at AUTH_FAILED (auth-retry none): it does not retry or prompt");
        }
    }

    /** tls-auth FILE [DIRECTION], or inline with key-direction (which may come before or after the block). */
    private void tlsAuth(Directive d) throws ImportException {
        material(d, "tls-auth.key", true, "tls.auth");
        m.tlsAuth(d);
        String direction = d.isInline() ? null : d.arg(1);
        if (direction != null) {
            keyDirection(new Directive(d.line(), "key-direction", java.util.List.of(direction), null));
        }
    }

    private void keyDirection(Directive d) {
        if (Args.count(r, d, 1, 1) && Args.number(r, d, 0, 0, 1) != null) {
            m.keyDirection(d);
        }
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
        m.client().put("auth", digest);
        r.mapped(d, m.file() + ": auth = " + digest + " (data channel: AEAD ciphers need no digest)");
    }

    private void tlsVersionMin(Directive d) {
        if (!Args.count(r, d, 1, 2)) {
            return;
        }
        String v = OptionValues.tlsVersionMin(d.arg(0));
        if (v == null) {
            r.unsupported(d, "unknown TLS version '" + d.arg(0) + "'");
        } else {
            put(d, "tls.version.min", v);
        }
    }

    private void remoteCertTls(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        if (!d.arg(0).equals("server")) {
            r.unsupported(d, "a client checks the server's certificate: 'remote-cert-tls server'");
            return;
        }
        requireServerAuth(d);
    }

    private void remoteCertEku(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        if (!d.arg(0).equals(SERVER_AUTH_NAME) && !d.arg(0).equals(SERVER_AUTH_OID)) {
            r.unsupported(d, "the client checks one extended key usage only: '" + SERVER_AUTH_NAME + "'");
            return;
        }
        requireServerAuth(d);
    }

    private void requireServerAuth(Directive d) {
        m.sawRemoteCertTls();
        put(d, "remote.cert.tls", Boolean.TRUE);
    }

    /** The connector compares the server certificate's CN: 'name', or a 'subject' that is a CN alone. */
    private void verifyName(Directive d) {
        if (!Args.count(r, d, 1, 2)) {
            return;
        }
        String type = d.arg(1) == null ? "subject" : d.arg(1);
        String value = d.arg(0);
        if (type.equals("subject") && value.regionMatches(true, 0, "CN=", 0, 3) && !value.contains(",")) {
            value = value.substring(3);
        } else if (!type.equals("name")) {
            r.unsupported(d, "the client checks the server certificate's CN exactly: use 'verify-x509-name CN name'"
                    + (type.equals("subject") ? " (a subject of several parts is not compared)" : ", not " + type));
            return;
        }
        put(d, "verify.x509.name", value);
    }

    private void dataCiphers(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        OptionValues.Ciphers c = OptionValues.ciphers(d.arg(0));
        if (c.kept().isEmpty()) {
            r.unsupported(d, "none of these ciphers is supported (" + OptionValues.AEAD_NAMES + ")");
            return;
        }
        m.client().put("data.ciphers", c.joined());
        if (c.dropped().isEmpty()) {
            r.mapped(d, m.file() + ": data.ciphers = " + c.joined());
        } else {
            r.unsupported(d, "imported as data.ciphers = " + c.joined() + "; not supported: "
                    + String.join(", ", c.dropped()) + " (Tunnelbus has AEAD ciphers only)");
        }
    }

    /** As in 2.6, 'cipher' is no part of the negotiation; it only served servers that cannot negotiate. */
    private void cipher(Directive d) {
        r.note(d, "ignored, as by OpenVPN 2.6 with a negotiating server: the data cipher is negotiated from "
                + "data.ciphers (servers older than 2.4, which cannot negotiate, are not supported)");
    }

    /** reneg-sec MAX [MIN] (2.6): the optional second argument has no counterpart. */
    private void renegSec(Directive d) {
        if (Args.count(r, d, 1, 2)) {
            Integer v = Args.number(r, d, 0, 0, Integer.MAX_VALUE);
            if (v != null) {
                put(d, "reneg.sec", v);
            }
        }
    }

    /** connect-retry N [MAX]: the first delay, and the bound of its doubling. */
    private void connectRetry(Directive d) {
        if (!Args.count(r, d, 1, 2)) {
            return;
        }
        Integer first = Args.number(r, d, 0, 1, 3600);
        Integer max = first == null || d.arg(1) == null ? null : Args.number(r, d, 1, 1, 86400);
        if (first == null || (d.arg(1) != null && max == null)) {
            return;
        }
        m.client().put("connect.retry", first);
        if (max != null) {
            m.client().put("connect.retry.max", max);
        }
        r.mapped(d, m.file() + ": connect.retry = " + first + (max == null ? "" : ", connect.retry.max = " + max));
    }

    private void number(Directive d, String property, int min, int max) {
        if (Args.count(r, d, 1, 1)) {
            Integer v = Args.number(r, d, 0, min, max);
            if (v != null) {
                put(d, property, v);
            }
        }
    }

    /** dev tun keeps the connector's device name; a concrete name (tun5) is the device's name. */
    private void dev(Directive d) {
        if (!Args.count(r, d, 1, 1)) {
            return;
        }
        String dev = d.arg(0);
        String lower = dev.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tap")) {
            r.unsupported(d, "the client configures a TUN device only (TAP is not supported by the client)");
        } else if (!lower.startsWith("tun") || !dev.matches("[A-Za-z0-9_.-]{1,15}")) {
            r.unsupported(d, "'" + dev + "' is neither tun nor a TUN interface name (1-15 characters A-Za-z0-9_.-)");
        } else if (lower.equals("tun")) {
            put(d, "device", ClientMapper.DEFAULT_DEVICE);
        } else {
            put(d, "device", dev);
        }
    }

    private void devType(Directive d) {
        if ("tun".equalsIgnoreCase(d.arg(0))) {
            r.note(d, "implied: the client's device is a TUN device");
        } else {
            r.unsupported(d, "the client configures a TUN device only");
        }
    }

    private void put(Directive d, String property, Object value) {
        m.client().put(property, value);
        r.mapped(d, m.file() + ": " + property + " = " + value);
    }
}
