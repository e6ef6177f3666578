package org.tunnelbus.importer.internal;

import java.util.Map;

/**
 * Directives whose outcome does not depend on their arguments: the ones that need nothing in Tunnelbus
 * (with a note saying what to do instead, if anything) and the ones it does not support (with why).
 */
final class FixedOutcomes {
    private FixedOutcomes() {
    }

    static final Map<String, String> NOTES = Map.ofEntries(
            Map.entry("dh", "ignored: not needed; Tunnelbus uses ECDHE key exchange only, no DH parameters"),
            Map.entry("ecdh-curve", "ignored: the TLS module chooses the ECDHE group"),
            Map.entry("tls-server", "implied: a Tunnelbus listener is always the TLS server"),
            Map.entry("mode", "implied: a Tunnelbus listener is a multi-client server"),
            Map.entry("persist-key", "not needed: keys stay in memory across reconfigurations"),
            Map.entry("persist-tun", "not needed: the TUN device stays open across reconfigurations and restarts of other modules"),
            Map.entry("user", "ignored: Tunnelbus does not drop privileges; run it as a dedicated user with CAP_NET_ADMIN"),
            Map.entry("group", "ignored: Tunnelbus does not drop privileges; run it as a dedicated user with CAP_NET_ADMIN"),
            Map.entry("status", "ignored: ask the running instance with 'tunnelbus status' (its management socket)"),
            Map.entry("status-version", "ignored: 'tunnelbus status' has one format"),
            Map.entry("log", "ignored: Tunnelbus logs to stderr; redirect it or run it under systemd (journald)"),
            Map.entry("log-append", "ignored: Tunnelbus logs to stderr; redirect it or run it under systemd (journald)"),
            Map.entry("verb", "ignored: set the log level with TUNNELBUS_OPTS=-Dtunnelbus.log.level=debug|info|warn|error"),
            Map.entry("mute", "ignored: Tunnelbus rate-limits repeated warnings itself"),
            Map.entry("mute-replay-warnings", "ignored: replayed packets are counted ('tunnelbus counters'), not logged"),
            Map.entry("explicit-exit-notify", "not needed: a stopping Tunnelbus always tells its UDP clients to reconnect (RESTART)"),
            Map.entry("daemon", "ignored: Tunnelbus runs in the foreground; use systemd or another supervisor"),
            Map.entry("writepid", "ignored: Tunnelbus runs in the foreground; the supervisor knows its PID"),
            Map.entry("suppress-timestamps", "ignored: log lines always carry a timestamp"),
            Map.entry("fast-io", "ignored: the UDP transport always uses non-blocking I/O"),
            Map.entry("float", "implied: sessions are found by peer-id, so a client may change its address"),
            Map.entry("allow-compression", "ignored: Tunnelbus never compresses (what 'allow-compression no' asks for)"),
            Map.entry("tls-exit", "ignored: Tunnelbus keeps serving after a TLS error"),
            Map.entry("nobind", "ignored: a server binds its listen address"));

    static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("ifconfig-pool-persist", "addresses are handed out from the pool afresh after a restart, not kept in a file"),
            Map.entry("ifconfig-pool", "the pool is the server network minus the server's address"),
            Map.entry("ifconfig", "static point-to-point addressing; use 'server NETWORK NETMASK'"),
            Map.entry("server-ipv6", "the tunnel network is IPv4 only so far"),
            Map.entry("server-bridge", "bridged TAP setups are not imported; configure the TAP device and pool by hand"),
            Map.entry("management", "Tunnelbus's management socket (HOME/run/management.sock) speaks its own commands "
                    + "(status, chain, counters), not the OpenVPN management protocol"),
            Map.entry("client-config-dir", "per-client options (iroute, ifconfig-push) are not supported yet"),
            Map.entry("ccd-exclusive", "per-client configuration is not supported yet"),
            Map.entry("duplicate-cn", "sessions are not limited per common name; this option has nothing to map to"),
            Map.entry("script-security", "Tunnelbus runs no scripts"),
            Map.entry("up", "Tunnelbus runs no scripts; device addresses and routes are configured declaratively"),
            Map.entry("down", "Tunnelbus runs no scripts"),
            Map.entry("client-connect", "Tunnelbus runs no scripts; write an Authenticator bundle instead"),
            Map.entry("client-disconnect", "Tunnelbus runs no scripts"),
            Map.entry("learn-address", "Tunnelbus runs no scripts"),
            Map.entry("tls-verify", "Tunnelbus runs no scripts; use verify-x509-name or an Authenticator bundle"),
            Map.entry("auth-user-pass-verify", "Tunnelbus runs no scripts; enable org.tunnelbus.auth.userpass (users file, "
                    + "'tunnelbus user add') instead"),
            Map.entry("plugin", "OpenVPN plugins cannot be loaded"),
            Map.entry("username-as-common-name", "not supported yet: per-client settings and logs use the certificate's CN"),
            Map.entry("comp-lzo", "Tunnelbus has no compression; remove it from the clients too"),
            Map.entry("compress", "Tunnelbus has no compression; remove it from the clients too"),
            Map.entry("push-reset", "no inherited push options to reset"),
            Map.entry("tls-crypt-v2", "tls-crypt-v2 is not supported yet; use tls-crypt"),
            Map.entry("tls-cipher", "TLS 1.2 suites are set per TLS module by IANA name (tls.cipher.suites of "
                    + "org.tunnelbus.tls.bouncycastle / org.tunnelbus.tls.jsse), not OpenSSL names"),
            Map.entry("tls-ciphersuites", "TLS 1.3 suites are set per TLS module (tls.cipher.suites of "
                    + "org.tunnelbus.tls.bouncycastle / org.tunnelbus.tls.jsse)"),
            Map.entry("tls-version-max", "set tls.max.version of org.tunnelbus.tls.bouncycastle and org.tunnelbus.tls.jsse"),
            Map.entry("tls-groups", "the TLS modules choose the groups"),
            Map.entry("data-ciphers-fallback", "clients that cannot negotiate a cipher (OpenVPN 2.3 and older) are not served"),
            Map.entry("remote-cert-ku", "key usage of client certificates is not checked; only the extended key usage"),
            Map.entry("mssfix", "no MSS clamping module is installed"),
            Map.entry("fragment", "OpenVPN's fragmentation is not supported"),
            Map.entry("sndbuf", "socket buffer sizes are not configurable yet"),
            Map.entry("rcvbuf", "socket buffer sizes are not configurable yet"),
            Map.entry("chroot", "Tunnelbus does not chroot"),
            Map.entry("multihome", "bind the listener to one address ('local') instead"),
            Map.entry("replay-window", "the replay window size is fixed"),
            Map.entry("opt-verify", "options-consistency strings are not enforced"),
            Map.entry("auth-nocache", "no username/password authentication"),
            Map.entry("push-peer-info", "a client option: a server has no peer info to send"),
            Map.entry("port-share", "TCP port sharing is not supported"),
            Map.entry("secret", "static-key (non-TLS) mode is not supported"),
            Map.entry("tcp-queue-limit", "not configurable"),
            Map.entry("bcast-buffers", "not configurable"),
            Map.entry("connect-freq", "new connections are not rate-limited per second yet"),
            Map.entry("inactive", "idle sessions are not disconnected on inactivity (only on ping-restart)"));
}
