package org.tunnelbus.openvpn.internal.server;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import org.tunnelbus.openvpn.internal.control.HmacSessionCookie;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/** UDP: the stateless HMAC-cookie handshake of the 2.6 server (§2.5); see {@link TransportAdmission}. */
final class CookieAdmission implements TransportAdmission {
    private final HmacSessionCookie cookie;
    private final int handWindowSeconds;

    CookieAdmission(SecureRandom random, int handWindowSeconds) {
        this.cookie = HmacSessionCookie.random(random, handWindowSeconds);
        this.handWindowSeconds = handWindowSeconds;
    }

    @Override
    public String protocol() {
        return "udp";
    }

    @Override
    public void fillReset(ControlPacket out, InetSocketAddress client, long clientSessionId, long nowSeconds) {
        cookie.fillReset(out, client, clientSessionId, nowSeconds);
    }

    @Override
    public DropReason checkFollowUp(ControlPacket packet, InetSocketAddress client, long nowSeconds) {
        return cookie.checkFollowUp(packet, client, nowSeconds);
    }

    @Override
    public void connectionClosed(InetSocketAddress client) {
        // datagrams have no connections
    }

    @Override
    public boolean floats() {
        return true;
    }

    @Override
    public boolean notifiesExit() {
        return true;
    }

    @Override
    public boolean sessionOwnsConnection() {
        return false;
    }

    /** The cookie's validity is tied to hand-window: a new window needs a new cookie. */
    @Override
    public boolean fits(ServerSettings settings) {
        return settings.proto().equals("udp") && settings.handWindowSeconds() == handWindowSeconds;
    }
}
