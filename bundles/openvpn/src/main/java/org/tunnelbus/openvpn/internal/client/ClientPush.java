package org.tunnelbus.openvpn.internal.client;

import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.openvpn.internal.push.PushOption;
import org.tunnelbus.openvpn.internal.push.PushReplyCollector;
import org.tunnelbus.openvpn.internal.push.PushReplyParser;
import org.tunnelbus.openvpn.internal.push.PushUpdate;

/**
 * What the server pushes, read as a stock client reads it (wire reference §5.2): PUSH_REPLY in parts
 * (push-continuation), 2.7's PUSH_UPDATE applied to the options in force, and the auth-token, which is kept with the
 * credentials and goes no further (it is a secret; status shows the tunnel configuration). The options in force go
 * to the push handshake ({@code TunnelConfig} in the session). Used on the connector's control thread.
 */
final class ClientPush {
    private static final Logger LOG = LoggerFactory.getLogger(ClientPush.class);

    private final ClientContext ctx;
    private final Session session;
    private final PushReplyCollector replyParts = new PushReplyCollector();
    private final PushReplyCollector updateParts = new PushReplyCollector();

    ClientPush(ClientContext ctx, Session session) {
        this.ctx = ctx;
        this.session = session;
    }

    /**
     * One PUSH_REPLY message.
     *
     * @return the complete option list once the last part is in (the auth-token taken out), else null
     */
    List<PushOption> reply(String message, String who) {
        var parsed = PushReplyParser.parse(message);
        if (!parsed.isOk()) {
            LOG.warn("{}: malformed PUSH_REPLY dropped ({})", who, parsed.reason().counterName());
            return null;
        }
        List<PushOption> options = replyParts.add(parsed.value());
        return options == null ? null : takeAuthToken(options, who); // null: push-continuation 2, more parts follow
    }

    /**
     * A complete PUSH_UPDATE.
     *
     * @param change  the options the server sent
     * @param inForce the options in force after it, or null if this client cannot apply it while connected
     */
    record Update(List<PushOption> change, List<PushOption> inForce) {
    }

    /** One PUSH_UPDATE message. @return the update once its last part is in; null while parts are missing, or malformed */
    Update update(String message, String who) {
        var parsed = PushReplyParser.parse(PushReplyParser.UPDATE_COMMAND, message);
        if (!parsed.isOk()) {
            LOG.warn("{}: PUSH_UPDATE dropped (malformed)", who);
            return null;
        }
        List<PushOption> change = updateParts.add(parsed.value());
        if (change == null) {
            return null; // push-continuation 2: more parts follow
        }
        TunnelConfig config = session.get(TunnelConfig.KEY);
        List<PushOption> held = (config == null ? List.<String>of() : config.options()).stream().map(PushOption::parse)
                .filter(Objects::nonNull).toList();
        return new Update(change, PushUpdate.apply(held, change));
    }

    /**
     * The options in force go to the push handshake.
     *
     * @return null, or why the connection must end (no handshake running, or it refused the options)
     */
    String apply(List<PushOption> options, String what) {
        ConfigHandshake handshake = ctx.handshake();
        if (handshake == null) {
            return "no configuration handshake service (tunnelbus.handshake.mode=push) is running";
        }
        try {
            handshake.apply(session, options.stream().map(PushOption::line).toList());
            return null;
        } catch (HandshakeRefusedException e) {
            return "refused the " + what + ": " + e.getMessage();
        }
    }

    /**
     * Keeps a pushed {@code auth-token} / {@code auth-token-user} (also the renewed token a server pushes alone after
     * each renegotiation) and returns the other options.
     */
    private List<PushOption> takeAuthToken(List<PushOption> options, String who) {
        for (PushOption o : options) {
            if (o.name().equals("auth-token") && o.arguments().size() == 1) {
                boolean renewed = ctx.credentials().hasToken();
                ctx.credentials().token(o.argument(0));
                LOG.debug("{}: auth-token {}; it replaces the password from now on", who, renewed ? "renewed" : "received");
            } else if (o.name().equals("auth-token-user") && o.arguments().size() == 1) {
                ctx.credentials().tokenUser(o.argument(0));
            }
        }
        return options.stream().filter(o -> !o.name().startsWith("auth-token")).toList();
    }
}
