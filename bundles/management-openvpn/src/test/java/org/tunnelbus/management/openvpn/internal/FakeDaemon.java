package org.tunnelbus.management.openvpn.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tunnelbus.api.session.PeerControl;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;

/** A daemon with a list of sessions that records what the commands ended and signalled. */
final class FakeDaemon implements Daemon {
    final List<Session> sessions = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    final List<String> signals = new ArrayList<>();
    final History log = new History(10);
    final History state = new History(10);
    final History echo = new History(10);
    Instant now = Instant.ofEpochSecond(1_796_663_765L);
    boolean hold;

    @Override
    public Collection<Session> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public void end(Session s, PeerControl.Notice notice, String reason) {
        ended.add(s.name() + "/" + notice);
        s.state(SessionState.CLOSING);
    }

    @Override
    public String title() {
        return "OpenVPN 2.6 (Tunnelbus test)";
    }

    @Override
    public long pid() {
        return 4242;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public History log() {
        return log;
    }

    @Override
    public History state() {
        return state;
    }

    @Override
    public History echo() {
        return echo;
    }

    @Override
    public boolean hold() {
        return hold;
    }

    @Override
    public void hold(boolean on) {
        hold = on;
    }

    @Override
    public boolean signal(String name) {
        signals.add(name);
        return List.of("SIGHUP", "SIGTERM", "SIGUSR1", "SIGUSR2").contains(name);
    }
}
