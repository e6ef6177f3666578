package org.tunnelbus.openvpn.internal.datapath;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
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
import org.tunnelbus.api.session.SessionRegistry;
import org.tunnelbus.api.session.SessionState;
import org.tunnelbus.openvpn.internal.datapath.DataPacketOpener;
import org.tunnelbus.openvpn.internal.datapath.KeepalivePing;
import org.tunnelbus.openvpn.internal.occ.OccMessage;
import org.tunnelbus.openvpn.internal.wire.DropReason;

/**
 * INCOMING, CRYPTO box (order 200): authenticates and decrypts a data packet in place, applies the key's
 * replay window (after authentication, so forgeries cannot move it), strips header, packet id and tag, and
 * then (wire reference §6.1, §6.3, §6.5–§6.7):
 * <ul>
 *   <li>counts the plaintext as received on the session ({@link Session#countIn}), which the control
 *       channel reads for {@code ping-restart};</li>
 *   <li>floats: a packet that authenticated from another address moves the session there;</li>
 *   <li>keepalive pings are counted and released ({@code CONSUMED}); OCC messages likewise, and an
 *       OCC_EXIT closes the session (explicit-exit-notify).</li>
 * </ul>
 *
 * <p>The cipher context per session and key id is module context, rebuilt from the session's
 * {@link DataKeys} (DESIGN invariant 4); the context key is made per activation, so an updated or swapped
 * stage starts fresh. Drops: {@code no-key}, {@code no-cipher} (no provider offers the key's cipher),
 * {@code decrypt-failed}, {@code replay}, {@code not-decapsulated}, and the header reasons of
 * {@link DropReason}.
 */
@Component(service = Stage.class)
@PipelineStage(name = "openvpn-open", box = "CRYPTO", direction = "incoming")
public final class DataOpenStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(DataOpenStage.class);
    static final Verdict NOT_DECAPSULATED = Verdict.drop("not-decapsulated");
    static final Verdict NO_KEY = Verdict.drop("no-key");
    static final Verdict NO_CIPHER = Verdict.drop("no-cipher");

    private final SessionKey<OpenContext> contextKey = SessionKey.of("openvpn.open-context", OpenContext.class);
    private final SessionRegistry registry;
    private final CipherFactoryTracker factories = new CipherFactoryTracker();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final LongAdder pings = new LongAdder();
    private final LongAdder occ = new LongAdder();
    private final LongAdder floats = new LongAdder();

    @Activate
    public DataOpenStage(@Reference SessionRegistry registry) {
        this.registry = registry;
    }

    /** For tests and embedding: a stage with a fixed set of providers. */
    public static DataOpenStage with(SessionRegistry registry, CipherFactories factories) {
        DataOpenStage s = new DataOpenStage(registry);
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
    public Verdict process(Packet packet) {
        int mark = packet.mark();
        if ((mark & Marks.DECAPSULATED) == 0) {
            return NOT_DECAPSULATED;
        }
        Session session = packet.session();
        DataKeys keys = session.get(DataKeys.KEY);
        DataKeyState key = keys == null ? null : keys.forKeyId(mark & Marks.KEY_ID_MASK);
        if (key == null) {
            return NO_KEY;
        }
        OpenContext context = session.context(contextKey, s -> new OpenContext());
        DataPacketOpener opener = context.opener(key, factories.current());
        if (opener == null) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("OpenVPN data decryption: no DataChannelCipherFactory offers {}; such packets are dropped as "
                        + "no-cipher until a crypto module that does starts", key.cipher());
            }
            return NO_CIPHER;
        }
        ByteBuffer buf = packet.buffer();
        int offset = packet.offset();
        int length = packet.length();
        DropReason refused = opener.open(buf, offset, length, System.currentTimeMillis() / 1000);
        if (refused != null) {
            return DropVerdicts.of(refused);
        }
        int payloadOffset = opener.payloadOffset(buf, offset);
        int payloadLength = offset + length - payloadOffset;
        packet.setRegion(payloadOffset, payloadLength);
        packet.mark(mark & ~(Marks.DECAPSULATED | Marks.KEY_ID_MASK));
        session.countIn(payloadLength);
        floatTo(session, packet.address());
        if (KeepalivePing.isPing(buf, payloadOffset, payloadLength)) {
            pings.increment();
            packet.release();
            return Verdict.CONSUMED;
        }
        if (OccMessage.isOcc(buf, payloadOffset, payloadLength)) {
            occ.increment();
            OccMessage.Opcode op = OccMessage.opcode(buf, payloadOffset, payloadLength);
            packet.release();
            if (op == OccMessage.Opcode.EXIT && session.state() != SessionState.CLOSED) {
                registry.close(session, "client exit (OCC_EXIT)");
            }
            return Verdict.CONSUMED;
        }
        return Verdict.PASS;
    }

    /** Stock floats only after the packet authenticated (§6.7); the transport caches address instances. */
    private void floatTo(Session session, InetSocketAddress from) {
        InetSocketAddress remote = session.remote();
        if (from != null && from != remote && !from.equals(remote)) {
            session.remote(from);
            floats.increment();
            LOG.info("Session {} floated from {} to {}", session.name().isEmpty() ? session.id() : session.name(), remote, from);
        }
    }

    /** The context key of this instance (tests). */
    SessionKey<OpenContext> contextKey() {
        return contextKey;
    }

    /** Keepalive pings received and dropped. */
    public long pings() {
        return pings.sum();
    }

    /** OCC messages received (EXIT closes the session). */
    public long occMessages() {
        return occ.sum();
    }

    /** Sessions moved to a new address. */
    public long floats() {
        return floats.sum();
    }
}
