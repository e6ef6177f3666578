package org.tunnelbus.openvpn.internal.server;

import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.ConfigUpdate;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.push.PushReplyBuilder;
import org.tunnelbus.openvpn.internal.push.PushReplyParser;

/**
 * Brings a connected client up to date when the configuration handshake reports a change
 * ({@code ConfigHandshake.update}). A client that announced PUSH_UPDATE (IV_PROTO bit 12, OpenVPN 2.7) gets the
 * changed routes and DNS options at once. Any other client cannot take new options while connected (a 2.6 client
 * ignores a second PUSH_REPLY: {@code init.c do_up()} runs once), so it is told to reconnect ({@code RESTART})
 * once its next renegotiation is done, which is when a stock client expects a pause; a disabled client at once.
 * One per control session, used on its thread.
 */
final class ConfigUpdateDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigUpdateDelivery.class);

    /** What the delivery needs of the control session. */
    interface Peer {
        boolean supportsPushUpdate();

        /** Sends one control message on the current key. */
        void send(String message);

        /** Tells the client to reconnect and ends the session shortly after. */
        void restart(String reason);

        /** "alice (192.0.2.1:1194)", for the log. */
        String who();
    }

    private final Peer peer;
    private String reconnectReason;

    ConfigUpdateDelivery(Peer peer) {
        this.peer = Objects.requireNonNull(peer);
    }

    void offer(ConfigUpdate update) {
        switch (update.delivery()) {
            case DISCONNECT -> {
                LOG.info("Client {}: {}; asking it to reconnect now", peer.who(), update.reason());
                peer.restart(update.reason());
            }
            case UPDATE -> {
                if (peer.supportsPushUpdate()) {
                    sendUpdate(update);
                } else {
                    later(update, "it does not take PUSH_UPDATE");
                }
            }
            case RECONNECT -> later(update, "only a new connection changes that");
        }
    }

    /** A renegotiation completed: the moment for a reconnect that was waiting. */
    void renegotiated() {
        if (reconnectReason != null) {
            String reason = reconnectReason;
            reconnectReason = null;
            LOG.info("Client {}: renegotiated; asking it to reconnect for its new configuration ({})", peer.who(), reason);
            peer.restart(reason);
        }
    }

    private void sendUpdate(ConfigUpdate update) {
        List<PushOption> options = update.options().stream().map(PushOption::parse).filter(Objects::nonNull).toList();
        for (String message : PushReplyBuilder.build(PushReplyParser.UPDATE_COMMAND, options)) {
            peer.send(message);
        }
        LOG.info("Client {}: configuration changed ({}); sent PUSH_UPDATE {}", peer.who(), update.reason(),
                String.join(",", update.options()));
    }

    private void later(ConfigUpdate update, String why) {
        reconnectReason = reconnectReason == null ? update.reason() : reconnectReason + "; " + update.reason();
        LOG.info("Client {}: configuration changed ({}); {}, so it reconnects after its next renegotiation",
                peer.who(), update.reason(), why);
    }
}
