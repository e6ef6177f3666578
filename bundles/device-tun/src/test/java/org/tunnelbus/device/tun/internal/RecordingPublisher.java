package org.tunnelbus.device.tun.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tunnelbus.api.device.PacketDevice;

/** Records what the device publishes, standing in for the OSGi service registry. */
final class RecordingPublisher implements ServicePublisher {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile Map<String, Object> properties;
    volatile boolean registered;

    @Override
    public Registration publish(PacketDevice device, Map<String, Object> props) {
        properties = props;
        registered = true;
        events.add("register " + props);
        return new Registration() {
            @Override
            public void update(Map<String, Object> p) {
                properties = p;
                events.add("update " + p);
            }

            @Override
            public void unregister() {
                registered = false;
                events.add("unregister");
            }
        };
    }
}
