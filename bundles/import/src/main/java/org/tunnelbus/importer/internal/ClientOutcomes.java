package org.tunnelbus.importer.internal;

import java.util.Map;

/**
 * Client directives whose outcome does not depend on their arguments. Looked up before {@link FixedOutcomes},
 * whose texts (verb, log, scripts, compression ...) hold for a client as well, except where a client means
 * something else by the same directive (persist-tun, nobind, explicit-exit-notify ...): those are here.
 */
final class ClientOutcomes {
    private ClientOutcomes() {
    }

    static final Map<String, String> NOTES = Map.ofEntries(
            Map.entry("client", "implied: this file becomes one client connection (factory PID org.tunnelbus.openvpn.client)"),
            Map.entry("tls-client", "implied: the client connection is the TLS client"),
            Map.entry("pull", "implied: the client asks for and applies the server's push (PUSH_REQUEST)"),
            Map.entry("nobind", "implied: the client sends from a free port chosen at every attempt (lport 0, the default)"),
            Map.entry("resolv-retry", "implied: the server's name is resolved again at every attempt, retrying with backoff"),
            Map.entry("persist-key", "implied: the key files are read once per configuration, not at every reconnection"),
            Map.entry("persist-tun", "implied: a reconnection that gets the same address keeps the TUN device"),
            Map.entry("explicit-exit-notify", "implied: a stopping client always tells the server (EXIT, or OCC_EXIT)"),
            Map.entry("auth-nocache", "implied, per connection: the client reads auth.user.pass again at every "
                    + "connection and keeps the password only for that connection's renegotiations, until an auth-token "
                    + "replaces it"),
            Map.entry("ignore-unknown-option", "ignored: the import reports every option it does not know as unsupported"),
            Map.entry("float", "ignored: the client talks to the address it resolved for 'remote'"),
            Map.entry("remote-cert-ku", "ignored: the key usage is not checked, only the extended key usage (remote-cert-tls server)"));

    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("connection", "<connection> blocks are not supported; use one remote line"),
            Map.entry("http-proxy", "HTTP proxies are not supported"),
            Map.entry("socks-proxy", "SOCKS proxies are not supported"),
            Map.entry("redirect-gateway", "the system's default route is not changed: only the server's network (and the "
                    + "routes it pushes) go into the tunnel; add a default route through the TUN device yourself"),
            Map.entry("route-nopull", "the client always applies the server's push"),
            Map.entry("pull-filter", "pushed options cannot be filtered"),
            Map.entry("route", "the client installs the routes the server pushes, no local ones"),
            Map.entry("dhcp-option", "DNS settings are not applied to the system"),
            Map.entry("dns", "DNS settings are not applied to the system"),
            Map.entry("block-outside-dns", "a Windows option"),
            Map.entry("setenv", "Tunnelbus runs no scripts and reads no environment options"),
            Map.entry("connect-retry-max", "the client retries without limit (doubling the delay up to connect.retry.max)"),
            Map.entry("ping", "the client uses the ping interval the server pushes"),
            Map.entry("ping-restart", "the client uses the ping-restart the server pushes"),
            Map.entry("keepalive", "the client uses the ping / ping-restart the server pushes"),
            Map.entry("push-peer-info", "the client sends its base peer info only (IV_VER, IV_PLAT, IV_PROTO, IV_NCP, IV_CIPHERS)"),
            Map.entry("ns-cert-type", "removed in OpenVPN 2.5; use remote-cert-tls server"));
}
