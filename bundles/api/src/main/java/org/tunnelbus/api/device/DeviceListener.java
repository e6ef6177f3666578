package org.tunnelbus.api.device;

import org.osgi.annotation.versioning.ProviderType;
import org.tunnelbus.api.packet.PacketAllocator;
import org.tunnelbus.api.packet.PacketBatch;

/**
 * The parent of a {@link PacketDevice} (the TUN/TAP box's parent callbacks).
 *
 * <p><b>Implemented by</b> the core. <b>Called by</b> the device's reader threads.
 */
@ProviderType
public interface DeviceListener {
    /** Where the device takes its read buffers from; an empty pool means "read later". */
    PacketAllocator allocator();

    /** Packets read from the kernel; ownership passes to the listener and the batch is empty on return. */
    void read(PacketBatch batch);

    /** The device changed state; {@code reason} is one line for the log. */
    void stateChanged(DeviceState state, String reason);
}
