package org.tunnelbus.openvpn.internal.datapath;

/**
 * The bits of {@link org.tunnelbus.api.packet.Packet#mark()} the OpenVPN data-path stages use to hand facts
 * to each other; high bits, so stages of other modules keep the low ones.
 */
final class Marks {
    /** INCOMING: the decapsulation stage checked the header; the low 3 bits carry the key id. */
    static final int DECAPSULATED = 1 << 28;
    /** OUTGOING: the packet was sealed; the transmit stage sends nothing without it (no plaintext leaks). */
    static final int SEALED = 1 << 29;
    static final int KEY_ID_MASK = 0x7;

    private Marks() {
    }
}
