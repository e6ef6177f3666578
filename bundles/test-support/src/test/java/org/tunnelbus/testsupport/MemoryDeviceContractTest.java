package org.tunnelbus.testsupport;

import org.tunnelbus.api.device.PacketDevice;

/** The in-memory device honours the device contract. */
class MemoryDeviceContractTest extends PacketDeviceContract {
    @Override
    protected PacketDevice createDevice() {
        return new MemoryDevice("mem0");
    }

    @Override
    protected void kernelSends(PacketDevice device, byte[] packet) {
        ((MemoryDevice) device).inject(packet);
    }

    @Override
    protected byte[] kernelReceives(PacketDevice device, long timeoutMs) throws InterruptedException {
        return ((MemoryDevice) device).awaitWritten(timeoutMs);
    }
}
