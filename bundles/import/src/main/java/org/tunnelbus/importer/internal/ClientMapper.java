package org.tunnelbus.importer.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a client profile (.ovpn) onto ONE factory configuration of the OpenVPN client,
 * {@code org.tunnelbus.openvpn.client-NAME.cfg} (NAME: the file's name), with the properties its
 * {@code ClientSettings} reads; the key material goes to HOME/import/NAME/. Every directive ends up in the
 * report, as for a server. The home runs the client profile (see {@link #map}).
 */
final class ClientMapper {
    /** Directives that make a file a client configuration. */
    static final Set<String> CLIENT_MARKERS = Set.of("client", "tls-client", "pull", "remote", "remote-random",
            "auth-user-pass", "connection");
    /** The device name the connector uses unless told otherwise (its own default, written out to be visible). */
    static final String DEFAULT_DEVICE = "tun-client";

    private final ImportPlan plan;
    private final Report report;
    private final KeyMaterial keys;
    private Directive remote;
    private Directive keyDirection;
    private Directive tlsAuth;
    private boolean sawRemoteCertTls;

    ClientMapper(ImportPlan plan, KeyMaterial keys) {
        this.plan = plan;
        this.report = plan.report();
        this.keys = keys;
    }

    static boolean isClient(List<Directive> directives) {
        return directives.stream().anyMatch(d -> CLIENT_MARKERS.contains(d.name()));
    }

    void map(List<Directive> directives) throws ImportException {
        // A client home runs the client profile: none of the server's bundles (CA, authentication, web console)
        // and none of its defaults (listener, TUN device 10.8.0.1, push settings); features/client.bndrun names
        // the one default file it gets, the packet bus's required stages.
        plan.profile(Pids.CLIENT_PROFILE);
        client(); // the file exists even when no directive maps to it, so the report's PID is real
        for (Directive d : directives) {
            map(d);
        }
        finish();
    }

    private void map(Directive d) throws ImportException {
        String n = d.name().toLowerCase(Locale.ROOT);
        if (ClientOutcomes.NOTES.containsKey(n)) {
            report.note(d, ClientOutcomes.NOTES.get(n));
        } else if (ClientOutcomes.UNSUPPORTED.containsKey(n)) {
            report.unsupported(d, ClientOutcomes.UNSUPPORTED.get(n));
        } else if (new ClientRules(this).map(n, d)) {
            return;
        } else if (FixedOutcomes.NOTES.containsKey(n)) {
            report.note(d, FixedOutcomes.NOTES.get(n));
        } else if (FixedOutcomes.UNSUPPORTED.containsKey(n)) {
            report.unsupported(d, FixedOutcomes.UNSUPPORTED.get(n));
        } else {
            report.unsupported(d, "unknown to the importer: no Tunnelbus client setting corresponds to it");
        }
    }

    private void finish() {
        Map<String, Object> c = client();
        if (remote == null) {
            report.general("No 'remote': set 'remote' (the server's host name or address) in " + file()
                    + "; the client refuses the configuration until then.");
        }
        if (!sawRemoteCertTls) {
            // stock OpenVPN checks no key usage unless told to; the connector's default is to check it
            c.put("remote.cert.tls", Boolean.FALSE);
            report.general("No 'remote-cert-tls server': as with stock OpenVPN, the server certificate's key usage is "
                    + "not checked (remote.cert.tls = false), so any certificate of the CA can pose as the server. "
                    + "Set remote.cert.tls = true if the server certificate has the TLS Web Server Authentication usage.");
        }
        c.putIfAbsent("device", DEFAULT_DEVICE);
        finishKeyDirection();
    }

    private void finishKeyDirection() {
        if (keyDirection == null) {
            return;
        }
        if (tlsAuth == null) {
            report.note(keyDirection, "ignored: key-direction applies to tls-auth only, and there is none");
            return;
        }
        client().put("tls.auth.direction", keyDirection.arg(0));
        report.mapped(keyDirection, file() + ": tls.auth.direction = " + keyDirection.arg(0));
    }

    // --- shared with ClientRules ---

    Report report() {
        return report;
    }

    ImportPlan plan() {
        return plan;
    }

    KeyMaterial keys() {
        return keys;
    }

    /** The properties of the client connection's file. */
    Map<String, Object> client() {
        return plan.config(file(), Pids.CLIENT_HEADER);
    }

    String file() {
        return Pids.client(plan.name());
    }

    /** The first 'remote', or null. */
    Directive remote() {
        return remote;
    }

    void remote(Directive d) {
        remote = d;
    }

    void keyDirection(Directive d) {
        keyDirection = d;
    }

    void tlsAuth(Directive d) {
        tlsAuth = d;
    }

    void sawRemoteCertTls() {
        sawRemoteCertTls = true;
    }
}
