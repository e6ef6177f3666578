package org.tunnelbus.core.internal.device;

import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.device.PacketDevice;
import org.tunnelbus.api.pipeline.PacketBus;
import org.tunnelbus.api.pipeline.PacketSink;
import org.tunnelbus.core.internal.bus.BusComponent;

/**
 * Tracks whiteboard {@link PacketDevice} services: starts each one with a {@link DeviceAttachment} that
 * feeds the OUTGOING chain, and registers that attachment as an INCOMING {@link PacketSink} (with the
 * device's name and ranking) so the bus delivers tunnel traffic to it, and shows the device's counters in
 * the bus's as {@code device.<name>.<counter>}. Stops the device and withdraws the sink when the device
 * service goes away.
 */
@Component(immediate = true)
public final class DeviceManager {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceManager.class);

    private final BundleContext context;
    private final PacketBus bus;
    private final Map<PacketDevice, Entry> devices = new IdentityHashMap<>();
    private boolean deactivated;

    private record Entry(DeviceAttachment attachment, ServiceRegistration<PacketSink> registration) {
    }

    @Activate
    public DeviceManager(BundleContext context, @Reference(name = "bus") PacketBus bus) {
        this.context = context;
        this.bus = bus;
    }

    @Reference(service = PacketDevice.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDevice(PacketDevice device, Map<String, Object> props) {
        Object n = props.get(PacketDevice.NAME);
        String name = n != null ? n.toString() : device.toString();
        DeviceAttachment a = new DeviceAttachment(device, name, bus);
        Hashtable<String, Object> sp = new Hashtable<>();
        sp.put(PacketSink.DIRECTION, "incoming");
        sp.put(PacketDevice.NAME, name);
        if (props.get(Constants.SERVICE_RANKING) instanceof Integer r) {
            sp.put(Constants.SERVICE_RANKING, r);
        }
        synchronized (this) {
            if (deactivated) {
                return;
            }
            ServiceRegistration<PacketSink> reg = context.registerService(PacketSink.class, a, sp);
            devices.put(device, new Entry(a, reg));
        }
        if (bus instanceof BusComponent bc) {
            bc.bus().addCounterSource("device." + name, a::counters);
        }
        try {
            device.start(a);
            LOG.info("Device {} attached: reads feed the outgoing chain, the incoming chain writes to it", name);
        } catch (RuntimeException e) {
            LOG.error("Device {} failed to start; it is not attached", name, e);
            removeDevice(device);
        }
    }

    void removeDevice(PacketDevice device) {
        Entry e;
        synchronized (this) {
            e = devices.remove(device);
        }
        if (e != null) {
            detach(e);
        }
    }

    @Deactivate
    void deactivate() {
        Entry[] all;
        synchronized (this) {
            deactivated = true;
            all = devices.values().toArray(new Entry[0]);
            devices.clear();
        }
        for (Entry e : all) {
            detach(e);
        }
    }

    private void detach(Entry e) {
        if (bus instanceof BusComponent bc) {
            bc.bus().removeCounterSource("device." + e.attachment.name());
        }
        try {
            e.registration.unregister();
        } catch (IllegalStateException gone) {
            // bundle stopping: already unregistered
        }
        e.attachment.detach();
        LOG.info("Device {} detached and stopped", e.attachment.name());
    }
}
