package org.tunnelbus.management.internal;

import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.session.SessionRegistry;

/** The command set of the management socket. */
final class ManagementCommands {
    static final String HELP = """
            status     live sessions: name, real and virtual address, cipher, bytes in/out, since
            chain      the stages of both chains, in order, with the bundles that provide them
            counters   every packet counter of the bus
            help       this text
            """;

    private final SessionRegistry sessions;
    private final PacketBus bus;

    ManagementCommands(SessionRegistry sessions, PacketBus bus) {
        this.sessions = sessions;
        this.bus = bus;
    }

    String run(String line) {
        return switch (line.trim()) {
            case "status" -> StatusReport.sessions(sessions.sessions());
            case "chain" -> StatusReport.chain(Direction.OUTGOING, bus.chain(Direction.OUTGOING)) + "\n"
                    + StatusReport.chain(Direction.INCOMING, bus.chain(Direction.INCOMING));
            case "counters" -> StatusReport.counters(bus.counters());
            case "help", "" -> HELP;
            default -> "ERROR unknown command '" + printable(line) + "' (try: help)\n";
        };
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
