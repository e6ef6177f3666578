package org.tunnelbus.management.openvpn.internal;

/** What a management client switched on for itself (stock keeps these per connection too). */
final class ConnectionState {
    private volatile boolean log;
    private volatile boolean state;
    private volatile boolean echo;
    private volatile int bytecount;
    private volatile int version = 1;

    void log(boolean on) {
        log = on;
    }

    boolean log() {
        return log;
    }

    void state(boolean on) {
        state = on;
    }

    boolean state() {
        return state;
    }

    void echo(boolean on) {
        echo = on;
    }

    boolean echo() {
        return echo;
    }

    /** Seconds between {@code >BYTECOUNT_CLI} notifications, 0 for none. */
    void bytecount(int seconds) {
        bytecount = seconds;
    }

    int bytecount() {
        return bytecount;
    }

    void version(int v) {
        version = v;
    }

    int version() {
        return version;
    }
}
