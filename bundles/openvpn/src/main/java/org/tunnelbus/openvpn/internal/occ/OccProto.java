package org.tunnelbus.openvpn.internal.occ;

/** {@code --proto} as the options string names it ({@code socket.c proto_remote()}). */
public enum OccProto {
    UDP("UDPv4", "UDPv4"),
    TCP_CLIENT("TCPv4_CLIENT", "TCPv4_SERVER"),
    TCP_SERVER("TCPv4_SERVER", "TCPv4_CLIENT");

    private final String local;
    private final String remote;

    OccProto(String local, String remote) {
        this.local = local;
        this.remote = remote;
    }

    /** The name in our own string, or (remote) in the string we expect from the peer. UDP is always UDPv4. */
    public String occName(boolean remoteVariant) {
        return remoteVariant ? remote : local;
    }

    public boolean isTcp() {
        return this != UDP;
    }
}
