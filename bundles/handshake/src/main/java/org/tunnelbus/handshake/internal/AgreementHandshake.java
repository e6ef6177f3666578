package org.tunnelbus.handshake.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.handshake.AgreementOptions;
import org.tunnelbus.api.handshake.ConfigHandshake;
import org.tunnelbus.api.handshake.HandshakeRefusedException;
import org.tunnelbus.api.handshake.OptionMismatch;
import org.tunnelbus.api.handshake.PeerOptions;
import org.tunnelbus.api.handshake.TunnelConfig;
import org.tunnelbus.api.route.RouteTable;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionListener;
import org.tunnelbus.api.session.SessionRegistry;

/**
 * The agreement model of the configuration handshake: the listener is one stock-2.6-style TLS peer
 * ({@code --tls-server --ifconfig LOCAL REMOTE}, no {@code --server}): nothing is pushed, the tunnel addresses
 * are configured on both sides, the options strings are compared (a difference is a WARNING, or a refusal with
 * {@code strict}), and the data cipher is the one both peers compute from each other's {@code IV_CIPHERS}.
 *
 * <p>Like stock p2p it has one peer: a session of another identity is refused while the peer holds the tunnel;
 * a new session of the same identity (the peer restarted) takes the tunnel over, and the old one ends at its
 * keepalive timeout. Exists only when its PID is configured (the {@code ifconfig} has no sensible default).
 */
@Component(service = {ConfigHandshake.class, SessionListener.class}, configurationPid = AgreementConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = ConfigHandshake.MODE + "=agreement")
@Designate(ocd = AgreementConfig.class)
public final class AgreementHandshake implements ConfigHandshake, SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(AgreementHandshake.class);

    private final RouteTable routes;
    private final PeerSlot peer = new PeerSlot();
    private volatile AgreementSettings settings;

    @Activate
    public AgreementHandshake(@Reference RouteTable routes, @Reference SessionRegistry sessions, AgreementConfig config) {
        this.routes = routes;
        this.settings = AgreementSettings.from(config); // an invalid first configuration fails activation, logged by SCR
        sessions.sessions().forEach(this::restore);
        LOG.info("Agreement handshake: tunnel {} - {}, ciphers {}, fallback cipher {}, {}", settings.local().address()
                .getHostAddress(), settings.remote().address().getHostAddress(), String.join(":", settings.ciphers()),
                settings.cipher() == null ? "none" : settings.cipher(), settings.strict() ? "strict" : "warnings only");
    }

    @Modified
    void modified(AgreementConfig config, Map<String, Object> properties) {
        try {
            settings = AgreementSettings.from(config);
            LOG.info("Agreement handshake reconfigured; applies to the next peer");
        } catch (IllegalArgumentException e) {
            Object file = properties.get("felix.fileinstall.filename");
            LOG.error("Refused configuration {}{}: {}; keeping the previous one", AgreementConfig.PID,
                    file == null ? "" : " (" + file + ")", e.getMessage());
        }
    }

    @Override
    public AgreementOptions agreement() {
        return settings.options();
    }

    @Override
    public List<String> serve(Session session, PeerOptions options) throws HandshakeRefusedException {
        session.set(PeerOptions.KEY, options);
        AgreementSettings s = settings;
        checkOptions(s, options);
        // the options string ends with the peer's TLS role (options.c options_string())
        boolean peerIsServer = options.optionsString().endsWith(",tls-server");
        String cipher = P2pCipherChoice.choose(s.ciphers(), options.peerInfo(), s.cipher(), peerIsServer);
        if (cipher == null) {
            throw new HandshakeRefusedException("no usable data cipher: the peer offers "
                    + options.peerInfo().getOrDefault("IV_CIPHERS", "(no IV_CIPHERS)") + ", we allow "
                    + String.join(":", s.ciphers()) + " and have no fallback 'cipher'");
        }
        peer.take(session, options.identity());
        String remote = s.remote().address().getHostAddress();
        session.set(TunnelConfig.KEY, new TunnelConfig(remote + "/32", s.local().address().getHostAddress(), "p2p",
                cipher, s.ping(), s.pingRestart(), List.of(), List.of()));
        routes.add(s.remote(), session);
        return List.of(); // nothing is pushed: the peer is configured alike
    }

    /** Stock warns about each difference; strict refuses the peer, naming them all in one line. */
    private static void checkOptions(AgreementSettings s, PeerOptions options) throws HandshakeRefusedException {
        List<OptionMismatch> mismatches = options.mismatches();
        if (s.strict() && !OptionsAgreement.differing(mismatches).isEmpty()) {
            throw new HandshakeRefusedException(OptionsAgreement.refusal(mismatches));
        }
        for (OptionMismatch m : mismatches) {
            LOG.warn("Peer {}: {}", options.identity(), m.message());
        }
    }

    @Override
    public void apply(Session session, List<String> options) throws HandshakeRefusedException {
        throw new HandshakeRefusedException("the agreement model pushes nothing; a PUSH_REPLY is not expected");
    }

    @Override
    public void closed(Session session, String reason) {
        peer.release(session);
    }

    /** A live session of an earlier activation (module updated under traffic) keeps the tunnel. */
    private void restore(Session session) {
        TunnelConfig config = session.get(TunnelConfig.KEY);
        if (config != null && "p2p".equals(config.topology())) {
            peer.restore(session);
        }
    }
}
