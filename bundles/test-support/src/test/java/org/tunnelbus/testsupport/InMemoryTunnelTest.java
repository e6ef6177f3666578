package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.api.transport.Transport;
import org.tunnelbus.api.transport.TransportListener;
import org.tunnelbus.core.internal.bus.BusSettings;
import org.tunnelbus.core.internal.device.DeviceAttachment;

/**
 * Two whole buses in one process, after wireguard-go's genTestPair: device A → OUTGOING [add header] →
 * memory transport → (lossy link) → INCOMING [strip header] → device B.
 */
class InMemoryTunnelTest {

    /** One side: a bus with a device, a transport as OUTGOING sink, the transport feeding INCOMING. */
    static final class Side implements AutoCloseable {
        final StageHarness h = new StageHarness(BusSettings.defaults().withPool(512, 2048, 128));
        final MemoryDevice device;
        final DeviceAttachment attachment;
        Transport transport;

        Side(String name) {
            device = new MemoryDevice(name);
            attachment = new DeviceAttachment(device, name, h.bus());
            h.bus().removeSink(h.incoming());
            h.bus().addSink(attachment, Map.of(PacketSink.DIRECTION, "incoming", "service.ranking", 10));
            h.stage(new SampleStages.AddHeader(), "frame", Box.ENCAP, Direction.OUTGOING);
            h.stage(new SampleStages.StripHeader(), "frame", Box.ENCAP, Direction.INCOMING);
        }

        TransportListener listener() {
            return new TransportListener() {
                @Override
                public PacketAllocator allocator() {
                    return h.allocator();
                }

                @Override
                public void received(PacketBatch batch) {
                    h.bus().submit(Direction.INCOMING, batch);
                }

                @Override
                public void closed(InetSocketAddress remote, String reason) {
                }
            };
        }

        void connect(Transport t) {
            transport = t;
            h.bus().removeSink(h.outgoing());
            h.bus().addSink(new PacketSink() {
                private final ThreadLocal<PacketBatch> batch = ThreadLocal.withInitial(() -> new PacketBatch(32));

                @Override
                public void accept(Packet p) {
                    PacketBatch b = batch.get();
                    b.add(p);
                    if (b.isFull()) {
                        t.send(b);
                    }
                }

                @Override
                public void flush() {
                    if (!batch.get().isEmpty()) {
                        t.send(batch.get());
                    }
                }
            }, Map.of(PacketSink.DIRECTION, "outgoing"));
            device.start(attachment);
        }

        @Override
        public void close() {
            device.stop();
            transport.close();
            h.close();
        }
    }

    private static byte[] packet(int i) {
        return PacketDeviceContract.ipv4Udp(new byte[] {10, 8, 0, 2}, new byte[] {10, 8, 0, 3}, 5000, 6000,
                ("payload " + i).getBytes());
    }

    @Test
    void packetsCrossTheTunnelInOrderAndNothingLeaks() throws Exception {
        MemoryTransportFactory net = new MemoryTransportFactory();
        try (Side a = new Side("tunA"); Side b = new Side("tunB")) {
            Transport[] pair = net.pair(a.listener(), b.listener());
            a.connect(pair[0]);
            b.connect(pair[1]);
            for (int i = 0; i < 300; i++) {
                a.device.inject(packet(i));
            }
            for (int i = 0; i < 300; i++) {
                byte[] got = b.device.awaitWritten(3000);
                assertNotNull(got, "packet " + i + " did not arrive");
                assertArrayEquals(packet(i), got);
            }
            b.device.inject(packet(999));
            assertArrayEquals(packet(999), a.device.awaitWritten(3000), "and back");
            assertEquals(300, a.h.counter("outgoing.frame.packets"));
            assertEquals(300, b.h.counter("incoming.frame.packets"));
            Thread.sleep(50);
            a.h.assertNoLeaks();
            b.h.assertNoLeaks();
        }
    }

    @Test
    void aLossyLinkLosesSomeButTheTunnelSurvivesAndNothingLeaks() throws Exception {
        try (LossyLink link = LossyLink.builder(11).loss(0.1).reorder(0.05).delay(0, 1).build()) {
            MemoryTransportFactory net = new MemoryTransportFactory(link);
            try (Side a = new Side("tunA"); Side b = new Side("tunB")) {
                Transport[] pair = net.pair(a.listener(), b.listener());
                a.connect(pair[0]);
                b.connect(pair[1]);
                for (int i = 0; i < 500; i++) {
                    a.device.inject(packet(i));
                }
                int got = 0;
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < deadline && (link.sent() < 500 || got < link.sent() - link.lost())) {
                    if (b.device.awaitWritten(100) != null) {
                        got++;
                    }
                }
                assertEquals(500, link.sent(), "every packet was offered to the link");
                assertEquals(500 - link.lost(), got, link.toString());
                assertTrue(link.lost() > 20, link.toString());
                assertNull(b.device.awaitWritten(10));
                a.h.assertNoLeaks();
                b.h.assertNoLeaks();
            }
        }
    }
}
