package org.tunnelbus.management.openvpn.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One validated configuration of the management interface. A bad value is refused with a message naming the
 * property and why ({@link InvalidSettingException}); the component then keeps what it had.
 *
 * @param socket      the unix socket, or null for none
 * @param tcpAddress  the loopback address of the TCP socket, or null for no TCP
 * @param tcpPort     its port
 * @param password    the password read from the password file, or null when none is needed
 * @param logCache    log lines kept
 * @param maxClients  management connections served at once
 */
record StockManagementSettings(Path socket, InetAddress tcpAddress, int tcpPort, String password, int logCache,
        int maxClients) {

    static final String DEFAULT_SOCKET = "openvpn-management.sock";

    /** A refused property. */
    static final class InvalidSettingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingException(String property, Object value, String why) {
            super("property '" + property + "' = '" + value + "': " + why);
        }
    }

    static StockManagementSettings of(StockManagementConfig c, String home) throws InvalidSettingException {
        Path socket = socket(c.socket(), home);
        InetAddress tcp = null;
        if (c.tcp_port() < 0 || c.tcp_port() > 65535) {
            throw new InvalidSettingException("tcp.port", c.tcp_port(), "not a TCP port (0 for none)");
        }
        if (c.tcp_port() > 0) {
            tcp = loopback(c.tcp_address());
        }
        String password = password(c.password_file());
        if (tcp != null && password == null) {
            throw new InvalidSettingException("password.file", "", "TCP management needs a password file (anyone on "
                    + "this machine can reach a loopback port)");
        }
        if (c.log_cache() < 1 || c.log_cache() > 100_000) {
            throw new InvalidSettingException("log.cache", c.log_cache(), "must be 1..100000");
        }
        if (c.max_clients() < 1 || c.max_clients() > 64) {
            throw new InvalidSettingException("max.clients", c.max_clients(), "must be 1..64");
        }
        return new StockManagementSettings(socket, tcp, c.tcp_port(), password, c.log_cache(), c.max_clients());
    }

    private static Path socket(String value, String home) {
        String v = value == null ? "" : value.trim();
        if (v.equals("none")) {
            return null;
        }
        if (!v.isEmpty()) {
            return Paths.get(v);
        }
        return Paths.get(home == null ? System.getProperty("user.dir") : home, "run", DEFAULT_SOCKET);
    }

    private static InetAddress loopback(String value) throws InvalidSettingException {
        String v = value == null ? "" : value.trim();
        try {
            if (!v.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                throw new UnknownHostException(v);
            }
            InetAddress a = InetAddress.getByName(v);
            if (!a.isLoopbackAddress()) {
                throw new InvalidSettingException("tcp.address", v, "not a loopback address (127.0.0.1 or ::1): the "
                        + "management protocol is clear text");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new InvalidSettingException("tcp.address", v, "not an IP address");
        }
    }

    /** The first line of the password file, as stock's pw-file; null when no file is configured. */
    private static String password(String file) throws InvalidSettingException {
        String f = file == null ? "" : file.trim();
        if (f.isEmpty()) {
            return null;
        }
        try {
            String first = Files.readAllLines(Paths.get(f), StandardCharsets.UTF_8).stream().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new InvalidSettingException("password.file", f, "its first line (the password) is empty");
            }
            return first;
        } catch (IOException e) {
            throw new InvalidSettingException("password.file", f, "cannot read it: " + e.getMessage());
        }
    }

    @Override
    public String toString() { // never the password
        return "socket=" + socket + ", tcp=" + (tcpAddress == null ? "off" : tcpAddress.getHostAddress() + ":" + tcpPort)
                + ", password=" + (password == null ? "none" : "set") + ", log.cache=" + logCache;
    }
}
