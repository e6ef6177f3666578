package org.tunnelbus.openvpn.internal.datapath;

import org.osgi.service.component.annotations.Component;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.openvpn.internal.datapath.AeadAlgorithm;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * INCOMING, ENCAP box (order 100): the second half of decapsulation. The listener already read the opcode
 * byte of each datagram and set {@link Packet#session()} (by peer-id for P_DATA_V2, by source address for
 * P_DATA_V1); this stage checks the data header and that the session has a key for the packet's key id,
 * and passes the key id to the decryption stage in the packet's mark (wire reference §1.2, §6.1, §6.7).
 *
 * <p>Drops, each counted by the bus under {@code incoming.openvpn-decap.drop.<reason>}: {@code not-data}
 * (not a data opcode), {@code unknown-peer-id} / {@code unknown-peer} (no session for the peer-id or the
 * V1 sender), {@code too-short}, {@code missing-payload}, {@code no-key} (nothing installed for the key
 * id), {@code session-closed}.
 */
@Component(service = Stage.class)
@PipelineStage(name = "openvpn-decap", box = "ENCAP", direction = "incoming")
public final class DataDecapStage implements Stage {
    static final Verdict NOT_DATA = Verdict.drop("not-data");
    static final Verdict UNKNOWN_PEER_ID = Verdict.drop("unknown-peer-id");
    static final Verdict UNKNOWN_PEER = Verdict.drop("unknown-peer");
    static final Verdict TOO_SHORT = Verdict.drop("too-short");
    static final Verdict MISSING_PAYLOAD = Verdict.drop("missing-payload");
    static final Verdict NO_KEY = Verdict.drop("no-key");
    static final Verdict SESSION_CLOSED = Verdict.drop("session-closed");

    private static final int V1 = Opcode.DATA_V1.value();
    private static final int V2 = Opcode.DATA_V2.value();
    /** Packet id and tag behind the header. */
    private static final int AEAD_OVERHEAD = 4 + AeadAlgorithm.TAG_LENGTH;

    @Override
    public Verdict process(Packet packet) {
        int length = packet.length();
        if (length < 1) {
            return TOO_SHORT;
        }
        int first = packet.get(0) & 0xFF;
        int opcode = first >>> 3;
        int header;
        if (opcode == V2) {
            header = 4;
        } else if (opcode == V1) {
            header = 1;
        } else {
            return NOT_DATA;
        }
        Session session = packet.session();
        if (session == null) {
            return opcode == V2 ? UNKNOWN_PEER_ID : UNKNOWN_PEER;
        }
        int min = header + AEAD_OVERHEAD;
        if (length <= min) {
            return length == min ? MISSING_PAYLOAD : TOO_SHORT;
        }
        SessionState state = session.state();
        if (state == SessionState.CLOSED || state == SessionState.CLOSING) {
            return SESSION_CLOSED;
        }
        DataKeys keys = session.get(DataKeys.KEY);
        int keyId = first & Marks.KEY_ID_MASK;
        if (keys == null || keys.forKeyId(keyId) == null) {
            return NO_KEY;
        }
        packet.mark(packet.mark() & ~(Marks.DECAPSULATED | Marks.KEY_ID_MASK) | Marks.DECAPSULATED | keyId);
        return Verdict.PASS;
    }
}
