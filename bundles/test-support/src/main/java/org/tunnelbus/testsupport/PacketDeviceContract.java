package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceListener;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;
import org.tunnelbus.core.internal.buffer.PacketPool;

/**
 * What every {@link PacketDevice} promises, as a JUnit 5 suite to subclass: start and stop are
 * idempotent, stop returns within a second even with a reader blocked, reads deliver what the kernel
 * routed as pooled packets, writes release every packet and reach the kernel in order, and nothing
 * throws after stop.
 *
 * <p>A subclass creates the device and plays the kernel's side: {@link #kernelSends} routes a packet into
 * the interface, {@link #kernelReceives} takes one that the device wrote (for a real TUN device, e.g. a
 * socket in the test's network namespace).
 */
public abstract class PacketDeviceContract {
    protected PacketPool pool;
    private PacketDevice device;

    /** A fresh, opened device, not started. */
    protected abstract PacketDevice createDevice() throws Exception;

    /** As if the kernel routed {@code packet} into the device. */
    protected abstract void kernelSends(PacketDevice device, byte[] packet) throws Exception;

    /** The next packet the device wrote to the kernel, or null after {@code timeoutMs}. */
    protected abstract byte[] kernelReceives(PacketDevice device, long timeoutMs) throws Exception;

    /** A packet the kernel accepts on this device; the default is an IPv4/UDP packet 10.77.0.1 → 10.77.0.2. */
    protected byte[] samplePacket(int seq) {
        return ipv4Udp(new byte[] {10, 77, 0, 1}, new byte[] {10, 77, 0, 2}, 40000, 9, ("tunnelbus " + seq).getBytes());
    }

    /** The listener the core would be: records states and read packets, releases them. */
    protected static final class RecordingListener implements DeviceListener {
        final PacketAllocator allocator;
        public final LinkedBlockingQueue<byte[]> reads = new LinkedBlockingQueue<>();
        public final List<DeviceState> states = new CopyOnWriteArrayList<>();

        RecordingListener(PacketAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public PacketAllocator allocator() {
            return allocator;
        }

        @Override
        public void read(PacketBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                reads.add(Packets.bytesAndRelease(batch.get(i)));
            }
            batch.clear();
        }

        @Override
        public void stateChanged(DeviceState state, String reason) {
            states.add(state);
        }
    }

    @BeforeEach
    void createPool() throws Exception {
        pool = new PacketPool(256, 2048, 128, 0, true);
        device = createDevice();
    }

    @AfterEach
    void stopDevice() {
        if (device != null) {
            device.stop();
        }
        assertEquals(0, pool.outstanding(), () -> "the device leaked packets: " + pool.leaks().describe());
    }

    @Test
    void infoDescribesTheDevice() {
        assertNotNull(device.info());
        assertTrue(!device.info().name().isEmpty() && device.info().mtu() > 0, device.info().toString());
    }

    @Test
    void startAndStopAreIdempotent() {
        RecordingListener l = new RecordingListener(pool);
        device.start(l);
        device.start(l);
        device.stop();
        assertDoesNotThrow(device::stop);
    }

    @Test
    void stopReturnsWithinASecondWhileAReaderWaits() throws Exception {
        device.start(new RecordingListener(pool));
        Thread.sleep(100); // the reader is now blocked in its read
        long t0 = System.nanoTime();
        device.stop();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1000, "stop took " + ms + " ms");
    }

    @Test
    void readsDeliverWhatTheKernelRoutedAsPooledPackets() throws Exception {
        RecordingListener l = new RecordingListener(pool);
        device.start(l);
        for (int i = 0; i < 5; i++) {
            kernelSends(device, samplePacket(i));
        }
        for (int i = 0; i < 5; i++) {
            byte[] got = l.reads.poll(2, TimeUnit.SECONDS);
            assertNotNull(got, "packet " + i + " was not read");
            assertArrayEquals(samplePacket(i), got);
        }
    }

    @Test
    void writesReachTheKernelInOrderAndReleaseEveryPacket() throws Exception {
        device.start(new RecordingListener(pool));
        PacketBatch b = new PacketBatch(8);
        for (int i = 0; i < 8; i++) {
            b.add(Packets.of(pool, samplePacket(100 + i)));
        }
        device.write(b);
        assertTrue(b.isEmpty(), "write must empty the batch");
        assertEquals(0, pool.outstanding(), "write must release every packet");
        for (int i = 0; i < 8; i++) {
            byte[] got = kernelReceives(device, 2000);
            assertNotNull(got, "packet " + i + " did not reach the kernel");
            assertArrayEquals(samplePacket(100 + i), got);
        }
    }

    @Test
    void writeAfterStopReleasesAndDoesNotThrow() {
        device.start(new RecordingListener(pool));
        device.stop();
        PacketBatch b = new PacketBatch(2);
        b.add(Packets.of(pool, samplePacket(1)));
        b.add(Packets.of(pool, samplePacket(2)));
        assertDoesNotThrow(() -> device.write(b));
        assertEquals(0, pool.outstanding());
    }

    /** A minimal, valid IPv4/UDP packet (header checksum set, UDP checksum 0). */
    public static byte[] ipv4Udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
        int len = 20 + 8 + payload.length;
        byte[] p = new byte[len];
        p[0] = 0x45;
        p[2] = (byte) (len >> 8);
        p[3] = (byte) len;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum = ~sum & 0xffff;
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        p[20] = (byte) (srcPort >> 8);
        p[21] = (byte) srcPort;
        p[22] = (byte) (dstPort >> 8);
        p[23] = (byte) dstPort;
        p[24] = (byte) ((8 + payload.length) >> 8);
        p[25] = (byte) (8 + payload.length);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }
}
