package org.tunnelbus.management.openvpn.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to {@code help}: the commands of stock OpenVPN 2.6's list, in its layout ({@code command : what}),
 * each described as it works here: those of a client-mode daemon or of a feature this server lacks say so.
 */
final class Help {
    /** Command and parameters, what it does here; in stock's order so that a reader finds them where expected. */
    private static final String[][] COMMANDS = {
        {"auth-retry t", "(client mode) not supported by this server"},
        {"bytecount n", "Every n seconds a >BYTECOUNT_CLI line per client (0=off)."},
        {"echo [on|off] [N|all]", "Echo buffer, as log (this server keeps none)."},
        {"cr-response response", "(client mode) not supported by this server"},
        {"exit|quit", "End this management session."},
        {"forget-passwords", "(client mode) not supported by this server"},
        {"help", "This list."},
        {"hold [on|off|release]", "Show or set the hold flag; release a hold."},
        {"kill cn", "End the sessions of common name cn (the client is not told)."},
        {"kill IP:port", "End the session of the client at IP:port (the client is not told)."},
        {"load-stats", "Clients and bytes in/out of the whole server."},
        {"log [on|off] [N|all]", "Real-time log lines on/off; the last N lines or all of them."},
        {"mute [n]", "Accepted; this server does not mute."},
        {"needok type action", "(client mode) not supported by this server"},
        {"needstr type action", "(client mode) not supported by this server"},
        {"net", "(Windows only) not supported by this server"},
        {"password type p", "(client mode) not supported by this server"},
        {"remote type [host port]", "(client mode) not supported by this server"},
        {"remote-entry-count", "(client mode) not supported by this server"},
        {"remote-entry-get i|all [j]", "(client mode) not supported by this server"},
        {"proxy type [host port flags]", "(client mode) not supported by this server"},
        {"pid", "Process id of this server."},
        {"pkcs11-id-count", "(client mode) not supported by this server"},
        {"pkcs11-id-get index", "(client mode) not supported by this server"},
        {"client-auth CID KID", "(management-client-auth) not supported by this server"},
        {"client-auth-nt CID KID", "(management-client-auth) not supported by this server"},
        {"client-deny CID KID R [CR]", "(management-client-auth) not supported by this server"},
        {"client-pending-auth CID KID MSG timeout", "(management-client-auth) not supported by this server"},
        {"client-kill CID [M]", "End client CID, telling it M: RESTART (default) or HALT."},
        {"env-filter [level]", "not supported by this server"},
        {"rsa-sig", "(client mode) not supported by this server"},
        {"pk-sig", "(client mode) not supported by this server"},
        {"certificate", "(client mode) not supported by this server"},
        {"signal s", "SIGHUP or SIGUSR1: every client reconnects; SIGUSR2: status to the log; SIGTERM: stop."},
        {"state [on|off] [N|all]", "As log, for the server's state history."},
        {"status [n]", "Clients and routes in status format n (1, 2 or 3)."},
        {"test n", "not supported by this server"},
        {"username type u", "(client mode) not supported by this server"},
        {"verb [n]", "Accepted; the log level is set in the instance's configuration."},
        {"version [n]", "Version of this server and of the protocol; n sets the client's version."},
    };

    private Help() {
    }

    static List<String> lines(String title) {
        List<String> out = new ArrayList<>();
        out.add("Management Interface for " + title);
        out.add("Commands:");
        for (String[] c : COMMANDS) {
            out.add(String.format("%-22s : %s", c[0], c[1]));
        }
        out.add("END");
        return out;
    }
}
