package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tunnelbus.api.device.DeviceState;

/** A bad configuration is refused naming the property, and the running device stays as it was. */
class BadConfigurationTest extends KernelTestSupport {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "mode      | TUNX          | property 'mode'",
        "mtu       | 70000         | property 'mtu'",
        "mtu       | 20            | property 'mtu'",
        "addresses | 10.0.0.300/24 | property 'addresses'",
        "addresses | example.org/24 | property 'addresses'",
        "routes    | 10.0.0.0/8 via fd00::1 | property 'routes'",
        "queues    | 0             | property 'queues'",
        "name      | this-name-is-far-too-long | property 'name'",
    })
    void refusedAndThePreviousDeviceStays(String property, String value, String expected) throws Exception {
        Netns ns = netns();
        Harness h = new Harness(TestAllocator.small(), p -> Responder.answerIp(p, 0), null);
        Map<String, Object> good = props("name", "tbbad0", "addresses", "10.208.0.1/24", "netns", ns.name);
        TunDevice d = device(ns, good, h);
        int index = ifindex(ns, "tbbad0");

        Map<String, Object> bad = new HashMap<>(good);
        bad.put(property, value);
        d.modified(bad);

        assertTrue(d.lastRefusal() != null && d.lastRefusal().contains(expected), "refusal names the property: " + d.lastRefusal());
        assertEquals(DeviceState.UP, d.state());
        assertEquals(index, ifindex(ns, "tbbad0"), "the previous device stays");
        assertEquals(1500, d.info().mtu());
        ping(ns, "10.208.0.2");

        // a bad first configuration opens nothing and says why
        TunDevice fresh = new TunDevice(new IpCommandConfigurator());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fresh.activate(new RecordingPublisher(), bad));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
