package org.tunnelbus.core.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceInfo;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceMode;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.core.internal.bus.Bus;
import org.tunnelbus.core.internal.bus.BusSettings;

class DeviceAttachmentTest {
    /** Records write batch sizes, releases what it is given. */
    static final class FakeDevice implements PacketDevice {
        final List<Integer> writes = new ArrayList<>();
        DeviceListener parent;
        int stops;

        @Override
        public DeviceInfo info() {
            return new DeviceInfo("tun9", DeviceMode.TUN, 1500, 1, false);
        }

        @Override
        public void start(DeviceListener parent) {
            this.parent = parent;
            parent.stateChanged(DeviceState.UP, "opened");
        }

        @Override
        public synchronized void write(PacketBatch batch) {
            writes.add(batch.size());
            batch.releaseAll();
        }

        @Override
        public void stop() {
            stops++;
        }

        @Override
        public Map<String, Long> counters() {
            return Map.of("writes", (long) writes.size());
        }
    }

    @Test
    void readsFeedTheOutgoingChainTheIncomingChainIsWrittenInBatchesAndCountersShow() {
        Bus bus = new Bus(BusSettings.defaults().withPool(256, 256, 32));
        FakeDevice dev = new FakeDevice();
        DeviceAttachment a = new DeviceAttachment(dev, "tun9", bus);
        bus.addSink(a, Map.of(PacketSink.DIRECTION, "incoming"));
        List<Integer> out = new ArrayList<>();
        bus.addSink(p -> {
            out.add(p.length());
            p.release();
        }, Map.of(PacketSink.DIRECTION, "outgoing"));
        dev.start(a);
        assertEquals(DeviceState.UP, a.state());
        assertSame(bus.allocator(), a.allocator());

        PacketBatch read = new PacketBatch(4);
        dev.parent.allocator().allocate(read);
        for (int i = 0; i < read.size(); i++) {
            read.get(i).setLength(20 + i);
        }
        dev.parent.read(read);
        assertEquals(List.of(20, 21, 22, 23), out);

        PacketBatch in = new PacketBatch(100);
        for (int i = 0; i < 100; i++) {
            Packet p = bus.allocator().allocate();
            p.setLength(40);
            in.add(p);
        }
        bus.submit(Direction.INCOMING, in);
        assertEquals(List.of(64, 36), dev.writes, "gathered into batches of 64, the rest on flush");

        bus.addCounterSource("device.tun9", a::counters);
        assertEquals(2L, bus.counters().get("device.tun9.writes"), bus.counters().toString());

        a.detach();
        assertEquals(1, dev.stops);
        Packet late = bus.allocator().allocate();
        bus.submit(Direction.INCOMING, late);
        assertEquals(1, a.dropped(), "a packet after detach is released and counted");
        assertEquals(1L, bus.counters().get("device.tun9.drop.detached"));
        bus.close();
        assertEquals(0, bus.allocator().outstanding());
    }
}
