package org.tunnelbus.openvpn.internal.control;

import java.util.EnumSet;
import java.util.Set;

/**
 * The bits of the {@code IV_PROTO} peer-info variable (§3.2; {@code ssl.h IV_PROTO_*}): those of 2.6, and of the
 * 2.7 bits (10–12) only PUSH_UPDATE, which a peer must announce before it is sent one.
 */
public enum IvProtoFlag {
    /** Accepts P_DATA_V2 and a pushed peer-id. Required whenever any other bit is set. */
    DATA_V2(1),
    /** The server may push without waiting for PUSH_REQUEST. */
    REQUEST_PUSH(2),
    /** Can derive data keys with the RFC 5705 exporter (tls-ekm). */
    TLS_KEY_EXPORT(3),
    AUTH_PENDING_KW(4),
    /** P2P negotiation: the peer is not pulling. */
    NCP_P2P(5),
    DNS_OPTION(6),
    CC_EXIT_NOTIFY(7),
    AUTH_FAIL_TEMP(8),
    DYN_TLS_CRYPT(9),
    /** 2.7: takes PUSH_UPDATE while connected ({@code master:ssl.h IV_PROTO_PUSH_UPDATE}). 2.6 never sets it. */
    PUSH_UPDATE(12);

    private final int bit;

    IvProtoFlag(int bit) {
        this.bit = bit;
    }

    public int mask() {
        return 1 << bit;
    }

    public boolean isSetIn(int ivProto) {
        return (ivProto & mask()) != 0;
    }

    /**
     * The decimal IV_PROTO value for {@code flags}.
     *
     * @throws IllegalArgumentException if flags are set without {@link #DATA_V2}: old servers test
     *         {@code IV_PROTO >= 2}, so bit 1 must accompany every other bit
     */
    public static int encode(Set<IvProtoFlag> flags) {
        if (!flags.isEmpty() && !flags.contains(DATA_V2)) {
            throw new IllegalArgumentException("IV_PROTO flags " + flags + " need DATA_V2 as well");
        }
        int v = 0;
        for (IvProtoFlag f : flags) {
            v |= f.mask();
        }
        return v;
    }

    /** The known flags in an IV_PROTO value (unknown and 2.7 bits are ignored). */
    public static Set<IvProtoFlag> decode(int ivProto) {
        Set<IvProtoFlag> set = EnumSet.noneOf(IvProtoFlag.class);
        for (IvProtoFlag f : values()) {
            if (f.isSetIn(ivProto)) {
                set.add(f);
            }
        }
        return set;
    }
}
