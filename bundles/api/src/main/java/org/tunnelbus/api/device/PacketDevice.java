package org.tunnelbus.api.device;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * A local packet consumer and producer (the TUN/TAP box's part): it reads packets the kernel routes into
 * it and writes packets that came through the tunnel.
 *
 * <p><b>Implemented by</b> device modules ({@code device-tun}; an in-memory twin in test-support). A device
 * component opens its interface, then registers itself as a whiteboard {@code PacketDevice} service.
 * <b>Called by</b> the core, which {@link #start starts} every registered device with a
 * {@link DeviceListener} that feeds the OUTGOING chain, and makes the device the INCOMING chain's sink.
 */
@ConsumerType
public interface PacketDevice {
    /** Service property: the device's name, so configurations can target a device. */
    String NAME = "tunnelbus.device.name";

    DeviceInfo info();

    /** Starts the reader(s); they deliver batches to {@code parent} until {@link #stop()}. */
    void start(DeviceListener parent);

    /**
     * Writes every packet to the kernel; takes ownership (packets are released and the batch is empty on
     * return). A packet that cannot be written is counted and released, never thrown. Thread-safe.
     */
    void write(PacketBatch batch);

    /** Stops the readers; returns within a second even if a read is blocked. Idempotent. */
    void stop();

    /**
     * A snapshot of this device's counters by name ({@code read.packets}, {@code write.bytes},
     * {@code drop.<reason>}, ...), which the core shows beside the bus's own as
     * {@code device.<name>.<counter>}. Allocates; not for the data path.
     *
     * @return the counters; empty if the device keeps none
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
