package org.tunnelbus.management.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.tunnelbus.api.pipeline.CounterSource;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;

/** The command set of the management socket. */
final class ManagementCommands {
    static final String HELP = """
            status     live sessions: name, real and virtual address, cipher, bytes in/out, since
            session [NAME]
                       every detail of the sessions named NAME (all without NAME): addresses, keepalive, routes
                       and every option pushed or received (dhcp-option, dns, redirect-gateway, ...)
            chain      the stages of both chains, in order, with the bundles that provide them
            counters   every packet counter of the bus, then those of the listeners and their sockets
            modules    the installed modules: version, state, where from, the slots they serve
            kill NAME  ends the sessions of NAME, telling each client to stop (HALT)
            help       this text
            """;

    private final SessionRegistry sessions;
    private final PacketBus bus;
    private final Supplier<String> modules;
    private final List<CounterSource> sources = new CopyOnWriteArrayList<>();

    ManagementCommands(SessionRegistry sessions, PacketBus bus, Supplier<String> modules) {
        this.sessions = sessions;
        this.bus = bus;
        this.modules = modules;
    }

    String run(String line) {
        String command = line.trim();
        if (command.equals("session") || command.startsWith("session ")) {
            String name = command.substring("session".length()).trim();
            return StatusReport.details(sessions.sessions().stream()
                    .filter(s -> name.isEmpty() || s.name().equals(name)).toList(), name);
        }
        if (command.startsWith("kill ")) {
            return kill(command.substring("kill ".length()).trim());
        }
        return switch (command) {
            case "modules" -> modules.get();
            case "status" -> StatusReport.sessions(sessions.sessions());
            case "chain" -> StatusReport.chain(Direction.OUTGOING, bus.chain(Direction.OUTGOING)) + "\n"
                    + StatusReport.chain(Direction.INCOMING, bus.chain(Direction.INCOMING));
            case "counters" -> StatusReport.counters(counters());
            case "help", "" -> HELP;
            default -> "ERROR unknown command '" + printable(line) + "' (try: help)\n";
        };
    }

    /** Ends every session of {@code name}, telling each client to stop, as an operator's kick. */
    private String kill(String name) {
        int n = 0;
        for (Session s : sessions.sessions()) {
            if (s.name().equals(name) && s.state() != SessionState.CLOSING && s.state() != SessionState.CLOSED) {
                PeerControl.end(sessions, s, PeerControl.Notice.HALT, "killed by 'tunnelbus kill'");
                n++;
            }
        }
        return n == 0 ? "ERROR no session named '" + printable(name) + "'\n" : "killed " + n + " session(s) of " + name + "\n";
    }

    void add(CounterSource source) {
        sources.add(source);
    }

    void remove(CounterSource source) {
        sources.remove(source);
    }

    /** The bus's counters, then each source's under its name; a source that fails is reported, not fatal. */
    private Map<String, Long> counters() {
        Map<String, Long> all = new TreeMap<>(bus.counters());
        for (CounterSource s : sources) {
            try {
                s.counters().forEach((k, v) -> all.put(s.name() + "." + k, v));
            } catch (RuntimeException e) {
                all.put(s.name() + ".unreadable", -1L);
            }
        }
        return all;
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
