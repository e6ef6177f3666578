package org.tunnelbus.management.openvpn.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/**
 * The command set of stock OpenVPN 2.6's management interface in server mode (manage.c), with its answers word
 * for word: {@code SUCCESS: ...} or {@code ERROR: ...} for one-line answers, {@code END} after multi-line ones.
 * Commands that concern a client-mode daemon or a feature this server does not have answer as stock does when
 * the daemon mode lacks them.
 */
final class Commands {
    static final int MANAGEMENT_VERSION = 5;

    private final Daemon daemon;

    Commands(Daemon daemon) {
        this.daemon = daemon;
    }

    /** The output lines (without line ends) for one command line of {@code conn}. */
    List<String> run(String line, ConnectionState conn) {
        List<String> p = CommandLine.split(line);
        if (p.isEmpty()) {
            return List.of();
        }
        // as stock, each command is a debug line of the log history (so 'log 3' shows itself last)
        daemon.log().add(new History.Entry(daemon.now().getEpochSecond(), "D,MANAGEMENT: CMD '" + printable(line) + "'"));
        String cmd = p.get(0); // case-sensitive, as stock's streq
        return switch (cmd) {
            case "help" -> Help.lines(daemon.title());
            case "version" -> version(p, conn);
            case "pid" -> List.of("SUCCESS: pid=" + daemon.pid());
            case "nclients" -> List.of("SUCCESS: nclients=" + daemon.sessions().stream().filter(Commands::established).count());
            case "status" -> status(p);
            case "load-stats" -> loadStats();
            case "kill" -> needs(p, 1) ? kill(p.get(1)) : missing(cmd, 1);
            case "client-kill" -> needs(p, 1) ? clientKill(p) : missing(cmd, 1);
            case "bytecount" -> needs(p, 1) ? bytecount(p.get(1), conn) : missing(cmd, 1);
            case "log" -> realtime("log", p, daemon.log(), conn::log);
            case "state" -> state(p, conn);
            case "echo" -> realtime("echo", p, daemon.echo(), conn::echo);
            case "hold" -> hold(p);
            case "signal" -> needs(p, 1) ? signal(p.get(1)) : missing(cmd, 1);
            case "verb" -> p.size() > 1 ? List.of("SUCCESS: verb level changed") : List.of("SUCCESS: verb=3");
            case "mute" -> p.size() > 1 ? List.of("SUCCESS: mute level changed") : List.of("SUCCESS: mute=0");
            case "auth-retry", "forget-passwords", "needok", "needstr", "password", "username", "remote", "proxy",
                    "remote-entry-count", "remote-entry-get", "cr-response", "rsa-sig", "pk-sig", "certificate",
                    "pkcs11-id-count", "pkcs11-id-get", "client-auth", "client-auth-nt", "client-deny",
                    "client-pending-auth", "env-filter", "net", "test" ->
                    List.of("ERROR: The '" + cmd + "' command is not supported by the current daemon mode");
            default -> List.of("ERROR: unknown command, enter 'help' for more options");
        };
    }

    private static String printable(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static boolean needs(List<String> p, int n) {
        return p.size() > n;
    }

    private static List<String> missing(String cmd, int n) {
        return List.of("ERROR: the '" + cmd + "' command requires " + n + " parameter" + (n == 1 ? "" : "s"));
    }

    /** {@code version N} sets the client's version silently, as stock; {@code version} shows ours. */
    private List<String> version(List<String> p, ConnectionState conn) {
        if (p.size() > 1) {
            conn.version(atoi(p.get(1)));
            return List.of();
        }
        return List.of("OpenVPN Version: " + daemon.title(), "Management Version: " + MANAGEMENT_VERSION, "END");
    }

    private List<String> status(List<String> p) {
        int version = 1;
        if (p.size() > 1) {
            try {
                version = Integer.parseInt(p.get(1));
            } catch (NumberFormatException e) {
                version = -1;
            }
        }
        List<String> out = StatusFormat.format(version, daemon.title(), daemon.now(), daemon.sessions());
        return out == null ? List.of("ERROR: bad status format version number") : out;
    }

    private List<String> loadStats() {
        long in = 0;
        long out = 0;
        int clients = 0;
        for (Session s : daemon.sessions()) {
            in += s.bytesIn();
            out += s.bytesOut();
            clients += established(s) ? 1 : 0;
        }
        return List.of("SUCCESS: nclients=" + clients + ",bytesin=" + in + ",bytesout=" + out);
    }

    static boolean established(Session s) {
        return s.state() == SessionState.ACTIVE || s.state() == SessionState.RENEGOTIATING;
    }

    /** {@code kill CN} or {@code kill IP:PORT}: as stock, the client is not told (it notices at ping-restart). */
    private List<String> kill(String target) {
        int colon = target.lastIndexOf(':');
        if (colon > 0 && target.substring(0, colon).matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            String ip = target.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(target.substring(colon + 1));
            } catch (NumberFormatException e) {
                return List.of("ERROR: port number is out of range: " + target.substring(colon + 1));
            }
            if (port < 0 || port > 65535) {
                return List.of("ERROR: port number is out of range: " + target.substring(colon + 1));
            }
            int n = 0;
            for (Session s : daemon.sessions()) {
                if (s.remote() != null && s.remote().getPort() == port && s.remote().getAddress().getHostAddress().equals(ip)) {
                    daemon.end(s, null, "killed by management (kill " + target + ")");
                    n++;
                }
            }
            return List.of(n > 0 ? "SUCCESS: " + n + " client(s) at address " + ip + ":" + port + " killed"
                    : "ERROR: client at address " + ip + ":" + port + " not found");
        }
        int n = 0;
        for (Session s : daemon.sessions()) {
            if (s.name().equals(target) && s.state() != SessionState.CLOSING) {
                daemon.end(s, null, "killed by management (kill " + target + ")");
                n++;
            }
        }
        return List.of(n > 0 ? "SUCCESS: common name '" + target + "' found, " + n + " client(s) killed"
                : "ERROR: common name '" + target + "' not found");
    }

    /** {@code client-kill CID [RESTART|HALT]}: the client is told, as stock's {@code send_restart}. */
    private List<String> clientKill(List<String> p) {
        long cid;
        try {
            cid = Long.parseLong(p.get(1));
        } catch (NumberFormatException e) {
            return List.of("ERROR: cannot parse CID");
        }
        PeerControl.Notice notice = PeerControl.Notice.RESTART;
        if (p.size() > 2) {
            try {
                notice = PeerControl.Notice.valueOf(p.get(2).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return List.of("ERROR: client-kill command failed");
            }
        }
        for (Session s : daemon.sessions()) {
            if (s.id() == cid && s.state() != SessionState.CLOSING) {
                daemon.end(s, notice, "killed by management (client-kill " + cid + " " + notice + ")");
                return List.of("SUCCESS: client-kill command succeeded");
            }
        }
        return List.of("ERROR: client-kill command failed");
    }

    private static List<String> bytecount(String arg, ConnectionState conn) {
        conn.bytecount(Math.max(0, atoi(arg)));
        return List.of("SUCCESS: bytecount interval changed");
    }

    /** {@code state} alone prints the current state, as {@code state 1}. */
    private List<String> state(List<String> p, ConnectionState conn) {
        return realtime("state", p.size() == 1 ? List.of("state", "1") : p, daemon.state(), conn::state);
    }

    /**
     * {@code log|state|echo P1 [P2]}: each parameter in turn, as stock's {@code man_history}: {@code on}/{@code off}
     * switch the real-time notifications, {@code all} or a number prints that much history and {@code END}.
     */
    private static List<String> realtime(String type, List<String> p, History history, java.util.function.Consumer<Boolean> flag) {
        if (p.size() < 2) {
            return List.of("ERROR: the '" + type + "' command requires at least 1 parameter");
        }
        List<String> out = new ArrayList<>();
        for (String param : p.subList(1, Math.min(3, p.size()))) {
            historyParam(type, param, history, flag, out);
        }
        return out;
    }

    private static void historyParam(String type, String param, History history, java.util.function.Consumer<Boolean> flag,
            List<String> out) {
        int n = atoi(param);
        if (param.equals("on") || param.equals("off")) {
            flag.accept(param.equals("on"));
            out.add("SUCCESS: real-time " + type + " notification set to " + (param.equals("on") ? "ON" : "OFF"));
        } else if (param.equals("all") || n > 0) {
            for (History.Entry e : history.last(param.equals("all") ? -1 : n)) {
                out.add(e.line());
            }
            out.add("END");
        } else {
            out.add("ERROR: " + type + " parameter must be 'on' or 'off' or some number n or 'all'");
        }
    }

    /** C's atoi: the leading decimal digits, 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        long v = 0;
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            i = 1;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        v = Math.min(v, Integer.MAX_VALUE);
        return (int) (negative ? -v : v);
    }

    private List<String> hold(List<String> p) {
        if (p.size() == 1) {
            return List.of("SUCCESS: hold=" + (daemon.hold() ? 1 : 0));
        }
        return switch (p.get(1)) {
            case "on" -> {
                daemon.hold(true);
                yield List.of("SUCCESS: hold flag set to ON");
            }
            case "off" -> {
                daemon.hold(false);
                yield List.of("SUCCESS: hold flag set to OFF");
            }
            case "release" -> List.of("SUCCESS: hold release succeeded");
            default -> List.of("ERROR: bad hold command parameter");
        };
    }

    private List<String> signal(String name) {
        String sig = name.toUpperCase(Locale.ROOT);
        if (!daemon.signal(sig)) {
            return List.of("ERROR: signal '" + name + "' is not a known signal type");
        }
        return List.of("SUCCESS: signal " + sig + " thrown");
    }
}
