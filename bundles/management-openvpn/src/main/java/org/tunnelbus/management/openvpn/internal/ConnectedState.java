package org.tunnelbus.management.openvpn.internal;

import java.time.Instant;

/**
 * Completes the state history as stock's server writes it once it is up: {@code ASSIGN_IP} with its tunnel address,
 * then {@code CONNECTED,SUCCESS} with the tunnel address and the local address and port it listens on — once both
 * the tunnel device and a listener are known (they start in either order), and only once.
 */
final class ConnectedState {
    private final History state;
    private String tunnel = "";
    private String listen;
    private String port;
    private boolean done;

    ConnectedState(History state) {
        this.state = state;
    }

    void device(String tunnelAddress) {
        synchronized (this) {
            if (tunnelAddress.isEmpty() || !tunnel.isEmpty()) {
                return;
            }
            tunnel = tunnelAddress;
        }
        maybeConnected();
    }

    void listener(String address, String port) {
        synchronized (this) {
            if (listen != null) {
                return;
            }
            this.listen = address;
            this.port = port;
        }
        maybeConnected();
    }

    private void maybeConnected() {
        String t;
        String l;
        String p;
        synchronized (this) {
            if (done || tunnel.isEmpty() || listen == null) {
                return;
            }
            done = true;
            t = tunnel;
            l = listen;
            p = port;
        }
        long now = Instant.now().getEpochSecond();
        state.add(new History.Entry(now, "ASSIGN_IP,," + t + ",,,,"));
        state.add(new History.Entry(now, "CONNECTED,SUCCESS," + t + ",,," + l + "," + p));
    }
}
