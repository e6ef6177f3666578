package org.tunnelbus.openvpn.internal.reliable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tunnelbus.openvpn.internal.ManualClock;
import org.tunnelbus.openvpn.internal.keys.Key2;
import org.tunnelbus.openvpn.internal.keys.StaticKeyFile;
import org.tunnelbus.api.crypto.PacketIdCounter;
import org.tunnelbus.api.crypto.ReplayWindow;
import org.tunnelbus.openvpn.internal.tlswrap.ControlChannelWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.PlainWrapper;
import org.tunnelbus.openvpn.internal.tlswrap.TlsCryptWrapper;
import org.tunnelbus.openvpn.internal.wire.ControlPacket;
import org.tunnelbus.openvpn.internal.wire.ControlPacketCodec;
import org.tunnelbus.openvpn.internal.wire.Opcode;

/**
 * Two key states talk over a seeded lossy link that drops, duplicates and reorders datagrams; every
 * message must arrive exactly once and in order, both ways. Datagrams really go through the codec (and,
 * in the tls-crypt runs, through the wrapper with fresh replay ids per transmission).
 */
class ReliableChannelSimulationTest {
    private static final int MESSAGES = 150;
    private static final long STEP_MILLIS = 20;
    private static final int MAX_STEPS = 500_000;

    @ParameterizedTest(name = "seed {0}, loss {1}%, dup {2}%, tls-crypt {3}")
    @CsvSource({
        "1, 0, 0, false", "2, 10, 5, false", "3, 25, 10, false", "4, 40, 20, false", "5, 15, 30, false",
        "6, 20, 10, true", "7, 35, 15, true", "8, 5, 50, true", "9, 50, 0, false", "10, 30, 30, true"})
    void everyMessageArrivesExactlyOnceAndInOrder(long seed, int lossPercent, int dupPercent, boolean tlsCrypt) {
        Random random = new Random(seed);
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        Key2 key = StaticKeyFile.generate(new SecureRandom());
        Endpoint client = new Endpoint(new ReliableChannel(0, 0x1111L, clock, 2000),
                tlsCrypt ? TlsCryptWrapper.forClient(key) : new PlainWrapper(), messages(random, true));
        Endpoint server = new Endpoint(new ReliableChannel(0, 0x2222L, clock, 2000),
                tlsCrypt ? TlsCryptWrapper.forServer(key) : new PlainWrapper(), messages(random, false));
        Link link = new Link(random, lossPercent, dupPercent);

        int steps = 0;
        while (!(client.done(server) && server.done(client)) && steps++ < MAX_STEPS) {
            clock.advance(STEP_MILLIS);
            client.pump(link, server, clock);
            server.pump(link, client, clock);
            link.deliver(clock);
        }
        assertTrue(steps < MAX_STEPS, "did not converge");
        assertDelivered(client.toSend, server.received);
        assertDelivered(server.toSend, client.received);
        if (lossPercent > 0) {
            assertTrue(link.dropped > 0 && client.reliableSends > MESSAGES, "loss was exercised");
        }
    }

    private static void assertDelivered(List<byte[]> sent, List<ReceivedMessage> received) {
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, received.get(i).messageId());
            assertArrayEquals(sent.get(i), received.get(i).payload(), "message " + i);
        }
    }

    /** Message 0 is the (empty) reset, the rest TLS-like chunks of random size. */
    private static List<byte[]> messages(Random random, boolean client) {
        List<byte[]> list = new ArrayList<>();
        list.add(new byte[0]);
        for (int i = 1; i < MESSAGES; i++) {
            byte[] m = new byte[random.nextInt(1100)];
            random.nextBytes(m);
            list.add(m);
        }
        return list;
    }

    private static final class Endpoint {
        final ReliableChannel channel;
        final ControlChannelWrapper wrapper;
        final List<byte[]> toSend;
        final List<ReceivedMessage> received = new ArrayList<>();
        final PacketIdCounter replayIds = PacketIdCounter.longForm();
        final ReplayWindow replay = new ReplayWindow();
        final ControlPacket out = new ControlPacket();
        final ControlPacket in = new ControlPacket();
        final Deque<byte[]> inbox = new ArrayDeque<>();
        int queued;
        int reliableSends;

        Endpoint(ReliableChannel channel, ControlChannelWrapper wrapper, List<byte[]> toSend) {
            this.channel = channel;
            this.wrapper = wrapper;
            this.toSend = toSend;
        }

        boolean isClient() {
            return channel.ownSessionId() == 0x1111L;
        }

        /** All sent and acknowledged, all received, and no ACK owed. */
        boolean done(Endpoint peer) {
            return queued == toSend.size() && channel.allAcknowledged() && received.size() == peer.toSend.size();
        }

        void pump(Link link, Endpoint peer, ManualClock clock) {
            drainInbox(clock);
            // the server answers only once the client's reset is in, as a stock server does
            boolean mayStart = isClient() || !received.isEmpty();
            while (mayStart && queued < toSend.size() && channel.canQueue()) {
                Opcode op = queued == 0 ? (isClient() ? Opcode.HARD_RESET_CLIENT_V2 : Opcode.HARD_RESET_SERVER_V2)
                        : Opcode.CONTROL_V1;
                channel.queue(op, ByteBuffer.wrap(toSend.get(queued++)));
            }
            while (channel.nextTransmission(out)) {
                reliableSends += out.opcode() == Opcode.ACK_V1 ? 0 : 1;
                ByteBuffer plain = ByteBuffer.allocate(ControlPacketCodec.encodedLength(out));
                ControlPacketCodec.write(out, plain);
                ByteBuffer wire = ByteBuffer.allocate(plain.capacity() + wrapper.overhead());
                assertTrue(wrapper.wrap(plain.flip(), wire, replayIds, clock.seconds()));
                byte[] datagram = new byte[wire.position()];
                wire.flip().get(datagram);
                link.send(datagram, peer, clock);
            }
        }

        void drainInbox(ManualClock clock) {
            for (byte[] datagram; (datagram = inbox.poll()) != null; ) {
                ByteBuffer plain = ByteBuffer.allocate(datagram.length);
                if (wrapper.unwrap(ByteBuffer.wrap(datagram), plain, replay, clock.seconds()) != null) {
                    continue; // duplicates of a datagram are replays for tls-crypt: dropped and counted
                }
                if (ControlPacketCodec.parse(plain.flip(), in) == null) {
                    channel.receive(in);
                }
                for (ReceivedMessage m; (m = channel.poll()) != null; ) {
                    received.add(m);
                }
            }
        }
    }

    private static final class Link {
        private record InFlight(long at, long seq, byte[] datagram, Endpoint to) {
        }

        private final Random random;
        private final int lossPercent;
        private final int dupPercent;
        private final PriorityQueue<InFlight> queue = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private long seq;
        int dropped;

        Link(Random random, int lossPercent, int dupPercent) {
            this.random = random;
            this.lossPercent = lossPercent;
            this.dupPercent = dupPercent;
        }

        void send(byte[] datagram, Endpoint to, ManualClock clock) {
            int copies = random.nextInt(100) < dupPercent ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (random.nextInt(100) < lossPercent) {
                    dropped++;
                } else {
                    // random delay 10..400 ms reorders datagrams
                    queue.add(new InFlight(clock.millis() + 10 + random.nextInt(390), seq++, datagram.clone(), to));
                }
            }
        }

        void deliver(ManualClock clock) {
            while (!queue.isEmpty() && queue.peek().at <= clock.millis()) {
                InFlight f = queue.poll();
                f.to.inbox.add(f.datagram);
            }
        }
    }
}
