package org.tunnelbus.openvpn.internal.datapath;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.crypto.DataChannelCipherFactory;
import org.tunnelbus.api.crypto.DataKeyState;
import org.tunnelbus.api.crypto.DataKeys;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.api.session.Session;
import org.tunnelbus.api.session.SessionKey;
import org.tunnelbus.openvpn.internal.datapath.AeadAlgorithm;

/**
 * OUTGOING, CRYPTO box (order 400): seals a routed packet for its session in place (wire reference §6.1):
 * {@code [0x48|key id][peer-id][packet id][tag][ciphertext]} (P_DATA_V2) or the P_DATA_V1 form for a peer
 * without peer-id, with the session's current sending key ({@link DataKeys#send()}) and that key's packet-id
 * counter, which live in the session. The plaintext is counted as sent ({@link Session#countOut}), which
 * the control channel reads for the keepalive.
 *
 * <p>Drops: {@code no-session} (routing found none), {@code no-key} (the session has no sending key yet),
 * {@code no-cipher} (no provider offers the cipher), {@code empty}, {@code no-room}, and
 * {@code packet-id-exhausted} (the key's ids ran out; the control channel renegotiates well before).
 */
@Component(service = Stage.class)
@PipelineStage(name = "openvpn-seal", box = "CRYPTO", direction = "outgoing")
public final class DataSealStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(DataSealStage.class);
    static final Verdict NO_SESSION = Verdict.drop("no-session");
    static final Verdict NO_KEY = Verdict.drop("no-key");
    static final Verdict NO_CIPHER = Verdict.drop("no-cipher");
    static final Verdict EMPTY = Verdict.drop("empty");
    static final Verdict NO_ROOM = Verdict.drop("no-room");
    static final Verdict EXHAUSTED = Verdict.drop("packet-id-exhausted");

    /** P_DATA_V2 header, packet id and tag in front of the payload. */
    static final int OVERHEAD = 4 + 4 + AeadAlgorithm.TAG_LENGTH;

    private final SessionKey<SealContext> contextKey = SessionKey.of("openvpn.seal-context", SealContext.class);
    private final CipherFactoryTracker factories = new CipherFactoryTracker();
    private final int width = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private final AtomicBoolean warned = new AtomicBoolean();

    public DataSealStage() {
    }

    /** For tests and embedding: a stage with a fixed set of providers. */
    public static DataSealStage with(CipherFactories factories) {
        DataSealStage s = new DataSealStage();
        s.factories.set(factories);
        return s;
    }

    @Reference(service = DataChannelCipherFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCipherFactory(DataChannelCipherFactory factory, Map<String, Object> properties) {
        factories.add(factory, properties);
    }

    void unbindCipherFactory(DataChannelCipherFactory factory) {
        factories.remove(factory);
    }

    @Override
    public int headroom() {
        return OVERHEAD;
    }

    @Override
    public int tailroom() {
        return AeadAlgorithm.TAG_LENGTH;
    }

    @Override
    public Verdict process(Packet packet) {
        Session session = packet.session();
        if (session == null) {
            return NO_SESSION;
        }
        DataKeys keys = session.get(DataKeys.KEY);
        DataKeyState key = keys == null ? null : keys.send();
        if (key == null) {
            return NO_KEY;
        }
        int length = packet.length();
        if (length < 1) {
            return EMPTY;
        }
        if (packet.headroom() < OVERHEAD) {
            return NO_ROOM;
        }
        CipherFactories providers = factories.current();
        SealContext context = session.get(contextKey);
        if (context == null || context.key != key || context.factories != providers) {
            context = SealContext.build(key, providers, width); // only when the key or the providers changed
            session.set(contextKey, context);
            if (!context.usable() && warned.compareAndSet(false, true)) {
                LOG.warn("OpenVPN data encryption: no DataChannelCipherFactory offers {}; such packets are dropped as "
                        + "no-cipher until a crypto module that does starts", key.cipher());
            }
        }
        if (!context.usable()) {
            return NO_CIPHER;
        }
        int offset = packet.offset();
        int slot = context.acquire();
        int start;
        try {
            start = context.sealer(slot).seal(packet.buffer(), offset, length);
        } finally {
            context.release(slot);
        }
        if (start < 0) {
            return EXHAUSTED;
        }
        session.countOut(length);
        packet.setRegion(start, offset + length - start);
        packet.mark(packet.mark() | Marks.SEALED);
        return Verdict.PASS;
    }

    /** The context key of this instance (tests). */
    SessionKey<SealContext> contextKey() {
        return contextKey;
    }
}
