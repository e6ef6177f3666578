package org.tunnelbus.management.openvpn.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = StockManagementConfig.PID, name = "Tunnelbus OpenVPN management interface",
        description = "The management protocol of stock OpenVPN 2.6 (--management), for the tools that speak it: "
                + "a unix socket (mode 0600) and, optionally, loopback TCP with a password file.")
public @interface StockManagementConfig {
    String PID = "org.tunnelbus.management.openvpn";

    @AttributeDefinition(name = "Unix socket",
            description = "Path of the unix socket (stock: --management PATH unix). Empty: HOME/run/openvpn-management.sock. "
                    + "'none': no unix socket.")
    String socket() default "";

    @AttributeDefinition(name = "TCP port",
            description = "Loopback TCP port (stock: --management 127.0.0.1 PORT); 0: no TCP. Needs a password file.")
    int tcp_port() default 0;

    @AttributeDefinition(name = "TCP address",
            description = "Address of the TCP socket: a loopback address only (127.0.0.1 or ::1).")
    String tcp_address() default "127.0.0.1";

    @AttributeDefinition(name = "Password file",
            description = "File whose first line is the password a management client must send first (stock: the "
                    + "pw-file of --management). Required with TCP; optional for the unix socket. Should be mode 0600.")
    String password_file() default "";

    @AttributeDefinition(name = "Log cache",
            description = "Log lines kept for 'log all' / 'log N' (stock: --management-log-cache).")
    int log_cache() default 1000;

    @AttributeDefinition(name = "Maximum clients",
            description = "Management connections at once (stock serves one); a connection beyond this is closed at once.")
    int max_clients() default 8;
}
