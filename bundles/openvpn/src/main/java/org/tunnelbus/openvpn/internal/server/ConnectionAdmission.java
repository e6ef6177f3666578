package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tunnelbus.openvpn.internal.control.HmacSessionCookie;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * TCP: one connection is one peer, no cookie (stock 2.6 keeps the cookie in {@code mudp.c}); see
 * {@link TransportAdmission}. The answer to a reset carries a random session id remembered for the connection
 * until it closes; the follow-up must echo it. The maps hold at most one entry per open connection. A
 * connection that has no session when the hand window has passed is closed by the listener, so idle
 * connections cannot pile up (stock: {@code --hand-window} for the TLS handshake, {@code --connect-timeout}).
 */
final class ConnectionAdmission implements TransportAdmission {
    private final SecureRandom random;
    /** Our session id per connection that sent a reset. Control thread only. */
    private final Map<InetSocketAddress, Long> answered = new HashMap<>();
    /** When each connection opened, until the listener has checked it once after the grace period. */
    private final Map<InetSocketAddress, Long> opened = new HashMap<>();

    ConnectionAdmission(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String protocol() {
        return "tcp";
    }

    /** A repeated reset on the same connection gets the same session id, as a retransmitted answer would. */
    @Override
    public void fillReset(ControlPacket out, InetSocketAddress client, long clientSessionId, long nowSeconds) {
        long own = answered.computeIfAbsent(client, c -> newSessionId());
        HmacSessionCookie.fillReset(out, own, clientSessionId);
    }

    private long newSessionId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0); // 0 is "no session id"
        return id;
    }

    @Override
    public DropReason checkFollowUp(ControlPacket packet, InetSocketAddress client, long nowSeconds) {
        DropReason bad = HmacSessionCookie.checkFollowUpShape(packet);
        if (bad != null) {
            return bad;
        }
        Long own = answered.get(client);
        return own != null && own == packet.peerSessionId() ? null : DropReason.COOKIE_MISMATCH;
    }

    @Override
    public void connectionClosed(InetSocketAddress client) {
        answered.remove(client);
        opened.remove(client);
    }

    @Override
    public void connectionOpened(InetSocketAddress client, long nowSeconds) {
        opened.put(client, nowSeconds);
    }

    @Override
    public List<InetSocketAddress> overdue(long nowSeconds, long graceSeconds) {
        List<InetSocketAddress> due = new ArrayList<>();
        opened.entrySet().removeIf(e -> {
            boolean late = nowSeconds - e.getValue() >= graceSeconds;
            if (late) {
                due.add(e.getKey());
            }
            return late;
        });
        return due;
    }

    @Override
    public boolean floats() {
        return false;
    }

    @Override
    public boolean notifiesExit() {
        return false;
    }

    @Override
    public boolean sessionOwnsConnection() {
        return true;
    }

    @Override
    public boolean fits(ServerSettings settings) {
        return settings.proto().equals("tcp");
    }
}
