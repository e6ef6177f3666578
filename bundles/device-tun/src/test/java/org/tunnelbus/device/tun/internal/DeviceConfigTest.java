package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.device.DeviceMode;

/** Validation without the kernel: defaults, types as Config Admin delivers them, refusals naming the property. */
class DeviceConfigTest {

    @Test
    void defaults() {
        DeviceConfig c = DeviceConfig.parse(Map.of());
        assertEquals("tb%d", c.name());
        assertEquals(DeviceMode.TUN, c.mode());
        assertEquals(1500, c.mtu());
        assertEquals(1, c.queues());
        assertFalse(c.offload());
        assertEquals(64, c.batchSize());
        assertTrue(c.addresses().isEmpty() && c.routes().isEmpty() && c.netns().isEmpty());
    }

    @Test
    void stringsAsFromCfgFilesAndArraysAsFromConfigAdmin() {
        DeviceConfig c = DeviceConfig.parse(Map.of("mode", "tap", "mtu", "9000", "queues", "4", "offload", "true", "batch.size", 128L,
                "addresses", "10.8.0.1/24, fd00::1/64", "routes", new String[] {"10.9.0.0/16 via 10.8.0.2 metric 5", "fd01::/48"},
                "mac", "02:aa:bb:cc:dd:ee"));
        assertEquals(DeviceMode.TAP, c.mode());
        assertEquals(9000, c.mtu());
        assertEquals(4, c.queues());
        assertTrue(c.offload());
        assertEquals(128, c.batchSize());
        assertEquals(List.of("10.8.0.1/24", "fd00::1/64"), c.addresses().stream().map(DeviceConfig.IfAddress::cidr).toList());
        assertEquals(List.of("10.9.0.0/16", "dev", "tb0", "via", "10.8.0.2", "metric", "5"), c.routes().get(0).ipArguments("tb0"));
        assertTrue(c.routes().get(1).ipv6());
    }

    @Test
    void ipv6InShortForm() throws Exception {
        assertEquals("fd00::1", DeviceConfig.text(java.net.InetAddress.getByName("fd00:0:0:0:0:0:0:1")));
        assertEquals("::", DeviceConfig.text(java.net.InetAddress.getByName("::")));
        assertEquals("2001:db8:0:1::", DeviceConfig.text(java.net.InetAddress.getByName("2001:db8:0:1:0:0:0:0")));
        assertEquals("2001:db8::1:0:0:1", DeviceConfig.text(java.net.InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", DeviceConfig.text(java.net.InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("fd00:99::/48", DeviceConfig.parseRoute("fd00:99::/48").prefix());
    }

    @Test
    void routeHostBitsAreMaskedAddressHostBitsKept() {
        assertEquals("10.9.0.0/16", DeviceConfig.parseRoute("10.9.7.7/16").prefix());
        assertEquals("10.8.0.1/24", DeviceConfig.parseAddress("10.8.0.1/24").cidr());
    }

    @Test
    void refusalsNameTheProperty() {
        assertRefused("mode", Map.of("mode", "bridge"));
        assertRefused("mtu", Map.of("mtu", 67));
        assertRefused("mtu", Map.of("mtu", "1500.5"));
        assertRefused("mtu", Map.of("mtu", 1000, "addresses", "fd00::1/64"));
        assertRefused("queues", Map.of("queues", 65));
        assertRefused("offload", Map.of("offload", "maybe"));
        assertRefused("name", Map.of("name", "a/b"));
        assertRefused("name", Map.of("name", "0123456789abcdef"));
        assertRefused("netns", Map.of("netns", "../etc"));
        assertRefused("addresses", Map.of("addresses", "10.8.0.1"));
        assertRefused("addresses", Map.of("addresses", "localhost/8"));
        assertRefused("addresses", Map.of("addresses", "10.8.0.1/33"));
        assertRefused("addresses", Map.of("addresses", "224.0.0.1/24"));
        assertRefused("addresses", Map.of("addresses", new String[] {"10.8.0.1/24", "10.8.0.1/24"}));
        assertRefused("routes", Map.of("routes", "10.0.0.0/8 via"));
        assertRefused("routes", Map.of("routes", "10.0.0.0/8 dev eth0"));
        assertRefused("routes", Map.of("routes", "10.0.0.0/8 metric -1"));
        assertRefused("routes", Map.of("routes", "10.0.0.0/8; rm -rf /"));
        assertRefused("mac", Map.of("mac", "02:00:00:00:00:01"));
        assertRefused("mac", Map.of("mode", "TAP", "mac", "01:00:00:00:00:01"));
        assertRefused("batch.size", Map.of("batch.size", 0));
    }

    @Test
    void whatNeedsAReopen() {
        DeviceConfig a = DeviceConfig.parse(Map.of("name", "tb0"));
        assertFalse(a.needsReopen(DeviceConfig.parse(Map.of("name", "tb0", "mtu", 1400, "addresses", "10.0.0.1/24", "routes", "10.1.0.0/16"))));
        assertTrue(a.needsReopen(DeviceConfig.parse(Map.of("name", "tb0", "queues", 2))));
        assertTrue(a.needsReopen(DeviceConfig.parse(Map.of("name", "tb0", "offload", true))));
        assertTrue(a.changesIdentity(DeviceConfig.parse(Map.of("name", "tb1"))));
        assertFalse(a.changesIdentity(DeviceConfig.parse(Map.of("name", "tb0", "queues", 2))));
    }

    private static void assertRefused(String property, Map<String, ?> p) {
        ConfigException e = assertThrows(ConfigException.class, () -> DeviceConfig.parse(p), p.toString());
        assertEquals(property, e.property(), e.getMessage());
        assertTrue(e.getMessage().startsWith("property '" + property + "'"), e.getMessage());
    }
}
