package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The bundle in a real framework (Felix + SCR + Config Admin + SPI Fly/slf4j + jnr-ffi + the jffi re-bundle):
 * a factory configuration opens the device in a test namespace and registers it; started with a parent (a
 * proxy standing in for the core), its two readers block in poll; stopping the bundle returns within one
 * second and the interface is gone. Runs under failsafe, after the bundle jar is built.
 */
class OsgiBundleStopIT {
    private Netns ns;
    private Framework fw;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require("ip");
        ns = Netns.create();
        Map<String, String> cfg = new HashMap<>();
        cfg.put("org.osgi.framework.storage", System.getProperty("tunnelbus.felix.storage", "target/felix-it"));
        cfg.put("org.osgi.framework.storage.clean", "onFirstInit");
        cfg.put("org.osgi.framework.system.packages.extra", "sun.misc");
        fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(cfg);
        fw.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (fw != null) {
                fw.stop();
                fw.waitForStop(10_000);
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void bundleStopDuringBlockedReadsReturnsWithinOneSecondAndRemovesTheInterface() throws Exception {
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : jars()) {
            bundles.add(ctx.installBundle(new File(jar).toURI().toString()));
        }
        Bundle mine = null;
        Bundle cm = null;
        Bundle api = null;
        for (Bundle b : bundles) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
            switch (b.getSymbolicName()) {
                case "org.tunnelbus.device.tun" -> mine = b;
                case "org.apache.felix.configadmin" -> cm = b;
                case "org.tunnelbus.api" -> api = b;
                default -> { }
            }
        }
        assertNotNull(mine);
        assertEquals(Bundle.ACTIVE, mine.getState());

        // a factory configuration, as a file in config/ or the web console would make it
        // getAllServiceReferences: the test class path also has the api and Config Admin classes, so the system
        // bundle's own view of those classes differs from the bundles'; skip the assignability check
        ServiceReference<?> car = null;
        for (int i = 0; i < 100 && car == null; i++) {
            ServiceReference<?>[] r = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            car = r == null ? null : r[0];
            if (car == null) {
                Thread.sleep(50);
            }
        }
        StringBuilder st = new StringBuilder();
        for (Bundle b : bundles) {
            st.append(b.getSymbolicName()).append('=').append(b.getState()).append(' ');
        }
        assertNotNull(car, "ConfigurationAdmin registered; bundles: " + st);
        Object ca = ctx.getService(car);
        Class<?> caIf = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> confIf = cm.loadClass("org.osgi.service.cm.Configuration");
        Object conf = caIf.getMethod("getFactoryConfiguration", String.class, String.class, String.class).invoke(ca, TunDevice.PID, "it", null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", "tbit0");
        props.put("netns", ns.name);
        props.put("queues", 2);
        props.put("addresses", new String[] {"10.240.0.1/24"});
        confIf.getMethod("update", Dictionary.class).invoke(conf, props);

        ServiceReference<?>[] refs = null;
        for (int i = 0; i < 200 && refs == null; i++) {
            Thread.sleep(50);
            refs = ctx.getAllServiceReferences("org.tunnelbus.api.device.PacketDevice", "(tunnelbus.device.name=tbit0)");
        }
        assertNotNull(refs, "PacketDevice tbit0 registered");
        assertTrue(KernelTestSupport.ifindex(ns, "tbit0") > 0);

        // start it as the core would, with a parent made from the api bundle's own classes
        Object device = ctx.getService(refs[0]);
        ClassLoader apiLoader = api.adapt(BundleWiring.class).getClassLoader();
        List<String> states = new CopyOnWriteArrayList<>();
        Object parent = parent(apiLoader, states);
        Class<?> deviceIf = apiLoader.loadClass("org.tunnelbus.api.device.PacketDevice");
        deviceIf.getMethod("start", apiLoader.loadClass("org.tunnelbus.api.device.DeviceListener")).invoke(device, parent);
        Thread.sleep(300); // nothing is routed into the device: both readers are blocked in poll(2)
        assertEquals(2, readers(), "two reader threads running");
        ctx.ungetService(refs[0]);

        long t0 = System.nanoTime();
        mine.stop();
        long ms = (System.nanoTime() - t0) / 1_000_000;

        System.out.println("OsgiBundleStopIT: bundle stop with 2 readers blocked took " + ms + " ms");
        assertTrue(ms < 1000, "bundle stop took " + ms + " ms");
        assertEquals(-1, KernelTestSupport.ifindex(ns, "tbit0"), "interface gone");
        assertEquals(0, readers(), "reader threads ended");
        assertTrue(states.stream().anyMatch(s -> s.startsWith("CLOSED")), states.toString());
    }

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("tunnelbus-tbit0-q") && t.isAlive()).count();
    }

    /** A DeviceListener whose allocator hands out fresh direct buffers and whose read releases the batch. */
    private static Object parent(ClassLoader api, List<String> states) throws Exception {
        Class<?> listenerIf = api.loadClass("org.tunnelbus.api.device.DeviceListener");
        Class<?> allocatorIf = api.loadClass("org.tunnelbus.api.packet.PacketAllocator");
        Class<?> recyclerIf = api.loadClass("org.tunnelbus.api.packet.Recycler");
        Class<?> packetClass = api.loadClass("org.tunnelbus.api.packet.Packet");
        Class<?> batchClass = api.loadClass("org.tunnelbus.api.packet.PacketBatch");
        Object recycler = Proxy.newProxyInstance(api, new Class<?>[] {recyclerIf}, (p, m, a) -> null);
        Object allocator = Proxy.newProxyInstance(api, new Class<?>[] {allocatorIf}, (p, m, a) -> switch (m.getName()) {
            case "allocate" -> a != null && a.length == 1 ? 0
                    : packetClass.getConstructor(ByteBuffer.class, int.class, recyclerIf).newInstance(ByteBuffer.allocateDirect(2112), 64, recycler);
            case "headroom" -> 64;
            case "capacity" -> 2048;
            case "outstanding" -> 0L;
            default -> m.getName().equals("toString") ? "it-allocator" : null;
        });
        Method releaseAll = batchClass.getMethod("releaseAll");
        return Proxy.newProxyInstance(api, new Class<?>[] {listenerIf}, (p, m, a) -> switch (m.getName()) {
            case "allocator" -> allocator;
            case "read" -> releaseAll.invoke(a[0]);
            case "stateChanged" -> states.add(a[0] + ": " + a[1]);
            default -> m.getName().equals("toString") ? "it-parent" : null;
        });
    }

    /** The bundles, in start order, from the test class path, then this module's bundle jar. */
    private static List<String> jars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String[] order = {"org.apache.aries.spifly.dynamic.bundle", "asm-9", "asm-commons", "asm-tree", "asm-analysis", "asm-util", "slf4j-api",
            "slf4j-simple", "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component-", "org.apache.felix.configadmin",
            "org.apache.felix.scr", "jnr-ffi", "jffi-osgi", "jffi-1.4.3-native", "org.tunnelbus.api"};
        List<String> out = new ArrayList<>();
        for (String want : order) {
            String found = null;
            for (String e : cp.split(File.pathSeparator)) {
                if (new File(e).getName().startsWith(want) && e.endsWith(".jar")) {
                    found = e;
                    break;
                }
            }
            assertNotNull(found, want + " on the test class path");
            out.add(found);
        }
        String bundle = System.getProperty("tunnelbus.bundle");
        assertNotNull(bundle, "system property tunnelbus.bundle (set by failsafe)");
        assertTrue(new File(bundle).isFile(), bundle);
        out.add(bundle);
        return out;
    }
}
