package org.tunnelbus.importer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the directives of an OpenVPN server configuration onto the Tunnelbus PIDs (see docs/configuration.md).
 * Every directive ends up in the report: mapped, noted or unsupported. Values that are wrong for OpenVPN as
 * well (a port of 70000) are reported as unsupported with the reason, not guessed at.
 */
final class ServerMapper {
    private static final Map<String, String> EKU_NAMES = Map.of("client", "TLS Web Client Authentication",
            "server", "TLS Web Server Authentication");

    private final ImportPlan plan;
    private final Report report;
    private final KeyMaterial keys;
    private final List<String> pushes = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();
    private boolean sawServer;
    private boolean sawKeepalive;
    private boolean sawTopology;
    private boolean sawDataCiphers;
    private Directive keyDirection;
    private Directive tlsAuth;

    ServerMapper(ImportPlan plan, KeyMaterial keys) {
        this.plan = plan;
        this.report = plan.report();
        this.keys = keys;
    }

    void map(List<Directive> directives) throws ImportException {
        seedDefaults();
        for (Directive d : directives) {
            map(d);
        }
        finish();
    }

    /** The files an import writes always replace the distribution's defaults, so they start from stock values. */
    private void seedDefaults() {
        Map<String, Object> l = listener();
        l.put("listen", "0.0.0.0");
        l.put("port", 1194);
        l.put("proto", "udp");
        l.put("tls.provider", "bouncycastle");
        Map<String, Object> dev = device();
        dev.put("name", "tb%d");
        dev.put("mode", "TUN");
        // stock OpenVPN checks no extended key usage unless told to (remote-cert-tls client)
        auth().put("require.eku", "");
    }

    private void map(Directive d) throws ImportException {
        String n = d.name().toLowerCase(Locale.ROOT);
        if (FixedOutcomes.NOTES.containsKey(n)) {
            report.note(d, FixedOutcomes.NOTES.get(n));
        } else if (FixedOutcomes.UNSUPPORTED.containsKey(n)) {
            report.unsupported(d, FixedOutcomes.UNSUPPORTED.get(n));
        } else if (!new ListenerRules(this).map(n, d) && !new TunnelRules(this).map(n, d)) {
            report.unsupported(d, "unknown to the importer: no Tunnelbus setting corresponds to it");
        }
    }

    private void finish() {
        Map<String, Object> h = handshake();
        if (!pushes.isEmpty()) {
            h.put("push", List.copyOf(pushes));
        }
        if (!routes.isEmpty()) {
            device().put("routes", List.copyOf(routes));
        }
        finishTlsAuth();
        if (!sawServer) {
            report.general("No 'server' directive: the tunnel network stays Tunnelbus's default 10.8.0.0/24 (server 10.8.0.1).");
            h.put("server", "10.8.0.0/24");
            device().put("addresses", List.of("10.8.0.1/24"));
        }
        if (!sawTopology) {
            report.general("No 'topology': OpenVPN 2.6 would use net30; Tunnelbus uses subnet and pushes it to the clients.");
        }
        h.put("topology", "subnet");
        if (!sawKeepalive) {
            report.general("No 'keepalive': Tunnelbus's default (ping 10, ping-restart 120) applies.");
        }
        if (!sawDataCiphers) {
            h.putIfAbsent("data.ciphers", "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305");
        }
        report.general("Client certificates must chain to the imported CA; 'tunnelbus profile' issues certificates "
                + "from Tunnelbus's own CA, which this server does not trust: keep issuing them with your existing CA.");
    }

    private void finishTlsAuth() {
        if (keyDirection == null) {
            return;
        }
        if (tlsAuth == null) {
            report.note(keyDirection, "ignored: key-direction applies to tls-auth only, and there is none");
            return;
        }
        String dir = keyDirection.arg(0);
        listener().put("tls.auth.direction", dir);
        report.mapped(keyDirection, Pids.LISTENER + ": tls.auth.direction = " + dir);
    }

    // --- shared by the rule classes ---

    Report report() {
        return report;
    }

    ImportPlan plan() {
        return plan;
    }

    KeyMaterial keys() {
        return keys;
    }

    Map<String, Object> listener() {
        return plan.config(Pids.LISTENER, Pids.LISTENER_HEADER);
    }

    Map<String, Object> handshake() {
        return plan.config(Pids.HANDSHAKE, Pids.HANDSHAKE_HEADER);
    }

    Map<String, Object> device() {
        return plan.config(Pids.DEVICE, Pids.DEVICE_HEADER);
    }

    Map<String, Object> auth() {
        return plan.config(Pids.AUTH, Pids.AUTH_HEADER);
    }

    Map<String, Object> routing() {
        return plan.config(Pids.ROUTING, Pids.ROUTING_HEADER);
    }

    void addPush(String option) {
        pushes.add(option);
    }

    void addRoute(String route) {
        routes.add(route);
    }

    void sawServer() {
        sawServer = true;
    }

    void sawKeepalive() {
        sawKeepalive = true;
    }

    void sawTopology() {
        sawTopology = true;
    }

    void sawDataCiphers() {
        sawDataCiphers = true;
    }

    void keyDirection(Directive d) {
        keyDirection = d;
    }

    void tlsAuth(Directive d) {
        tlsAuth = d;
    }

    static String eku(String value) {
        return EKU_NAMES.getOrDefault(value, value);
    }
}
