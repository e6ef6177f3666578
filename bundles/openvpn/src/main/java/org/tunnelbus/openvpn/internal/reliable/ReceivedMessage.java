package org.tunnelbus.openvpn.internal.reliable;

import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * A control message delivered in message-id order by the reliability layer: for CONTROL_V1 the payload
 * is TLS ciphertext for the TLS engine; for a hard reset with id 0 it holds early-negotiation TLVs (§2.6).
 */
public record ReceivedMessage(long messageId, Opcode opcode, byte[] payload) {
}
