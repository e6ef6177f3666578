package org.tunnelbus.device.tun.internal;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tunnelbus.api.device.PacketDevice;

/**
 * Publishes the device as a {@link PacketDevice} service. The component registers the service itself,
 * not through DS's {@code service=}, so that the service exists exactly while a kernel device is open
 * and its properties describe that device, never a refused configuration.
 */
interface ServicePublisher {

    /** A published service. */
    interface Registration {
        void update(Map<String, Object> properties);

        void unregister();
    }

    Registration publish(PacketDevice device, Map<String, Object> properties);

    /** The OSGi implementation over the component's bundle context. */
    static ServicePublisher of(BundleContext context) {
        return (device, properties) -> {
            ServiceRegistration<PacketDevice> reg = context.registerService(PacketDevice.class, device, new Hashtable<>(properties));
            return new Registration() {
                @Override
                public void update(Map<String, Object> p) {
                    try {
                        reg.setProperties(new Hashtable<>(p));
                    } catch (IllegalStateException e) {
                        // already unregistered (bundle stopping)
                    }
                }

                @Override
                public void unregister() {
                    try {
                        reg.unregister();
                    } catch (IllegalStateException e) {
                        // already unregistered (bundle stopping)
                    }
                }
            };
        };
    }
}
