package org.tunnelbus.device.tun.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.tunnelbus.api.device.DeviceState;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.testsupport.PacketDeviceContract;

/**
 * The real TUN device runs the suite every {@link PacketDevice} runs (test-support's
 * {@link PacketDeviceContract}), inside a namespace of its own. The kernel's side is played with
 * {@code AF_PACKET} sockets bound to the interface, so packets cross the kernel byte for byte.
 */
class TunDeviceContractTest extends PacketDeviceContract {
    private Netns ns;
    private TunDevice tun;
    private PacketSockets kernel;

    @Override
    protected PacketDevice createDevice() throws Exception {
        Prerequisites.require("ip", "sysctl");
        ns = Netns.create();
        // no IPv6 on new interfaces: router solicitations and MLD would be read between the test's packets
        ns.exec(Duration.ofSeconds(10), "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1").check("sysctl");
        Map<String, Object> p = new HashMap<>();
        p.put("name", "tbct0");
        p.put("netns", ns.name);
        p.put("addresses", new String[] {"10.77.0.1/24"});
        p.put("service.pid", TunDevice.PID + "~contract");
        tun = new TunDevice(new IpCommandConfigurator());
        tun.activate(new RecordingPublisher(), p);
        kernel = PacketSockets.open(ns, KernelTestSupport.ifindex(ns, "tbct0"));
        return tun;
    }

    @Override
    protected void kernelSends(PacketDevice device, byte[] packet) {
        kernel.send(packet);
    }

    @Override
    protected byte[] kernelReceives(PacketDevice device, long timeoutMs) {
        return kernel.receive(timeoutMs);
    }

    /** Runs before the contract's own clean-up (which stops the device and checks the pool for leaks). */
    @AfterEach
    void closeDeviceAndNamespace() {
        try {
            if (kernel != null) {
                kernel.close();
            }
            if (tun != null && tun.state() != DeviceState.CLOSED) {
                tun.deactivate();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }
}
