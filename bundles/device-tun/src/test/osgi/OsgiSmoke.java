/*
 * Manual in-framework smoke test of device-tun (not part of the build; the itests module owns the Pax Exam
 * suite). It starts Felix with SCR, Config Admin, SPI Fly + slf4j, ASM, jnr-ffi, the jffi re-bundle
 * (bundles/jffi-osgi) with the jffi native fragment, the api, the core (whose DeviceManager attaches the
 * device) and this bundle; creates a factory configuration with netns=NS; checks registration, a live MTU
 * change, a refused mode, and that stopping the bundle while its readers are blocked takes < 1 s and
 * removes the interface. Run as root (jar paths in ~/.m2 and the reactor's target/ directories):
 *
 *   FW=~/.m2/repository/org/apache/felix/org.apache.felix.framework/7.0.5/org.apache.felix.framework-7.0.5.jar
 *   javac -cp $FW -d /tmp/smoke OsgiSmoke.java
 *   ip netns add tb-dev-osgi
 *   java -cp $FW:/tmp/smoke OsgiSmoke tb-dev-osgi <spifly> <asm x5> <slf4j-api> <slf4j-simple> <osgi.util.function> \
 *        <osgi.util.promise> <osgi.service.component> <felix.configadmin> <felix.scr> <jnr-ffi> <jffi-osgi> \
 *        <jffi-native> <org.tunnelbus.api> <org.tunnelbus.device.tun> <org.tunnelbus.core>
 *   ip netns del tb-dev-osgi
 *
 * Result on 2026-11-25: device opened and registered, attached by the core, MTU changed live, 'bogus' mode
 * refused naming the property, bundle stop with 2 blocked readers took 34 ms and the interface was gone.
 */
import java.io.File;
import java.util.*;
import org.osgi.framework.*;
import org.osgi.framework.launch.*;

public class OsgiSmoke {
    public static void main(String[] args) throws Exception {
        String ns = args[0];
        Map<String, String> cfg = new HashMap<>();
        cfg.put("org.osgi.framework.storage", "/tmp/smoke/cache");
        cfg.put("org.osgi.framework.storage.clean", "onFirstInit");
        cfg.put("org.osgi.framework.system.packages.extra", "sun.misc");
        Framework fw = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(cfg);
        fw.start();
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            bundles.add(ctx.installBundle(new File(args[i]).toURI().toString()));
        }
        Bundle mine = null, cm = null;
        for (Bundle b : bundles) {
            if (b.getHeaders().get("Fragment-Host") == null) {
                b.start();
            }
            if ("org.tunnelbus.device.tun".equals(b.getSymbolicName())) mine = b;
            if ("org.apache.felix.configadmin".equals(b.getSymbolicName())) cm = b;
        }
        for (Bundle b : bundles) System.out.println("bundle " + b.getSymbolicName() + " state " + b.getState());
        ServiceReference<?> car = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object ca = ctx.getService(car);
        Class<?> caIf = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> confIf = cm.loadClass("org.osgi.service.cm.Configuration");
        Object conf = caIf.getMethod("getFactoryConfiguration", String.class, String.class, String.class).invoke(ca, "org.tunnelbus.device.tun", "smoke", null);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", "tbosgi0"); p.put("netns", ns); p.put("addresses", new String[] {"10.230.0.1/24"}); p.put("queues", 2);
        long t0 = System.nanoTime();
        confIf.getMethod("update", Dictionary.class).invoke(conf, p);
        ServiceReference<?>[] refs = null;
        for (int i = 0; i < 100 && refs == null; i++) { Thread.sleep(50); refs = ctx.getServiceReferences("org.tunnelbus.api.device.PacketDevice", null); }
        System.out.println("PacketDevice registered after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + (refs == null ? "NONE" : refs[0].getProperties()));
        System.out.println(run("ip", "-n", ns, "-br", "addr", "show", "dev", "tbosgi0"));
        p.put("mtu", 1400);
        confIf.getMethod("update", Dictionary.class).invoke(conf, p);
        Thread.sleep(500);
        System.out.println("after mtu update: " + run("ip", "-n", ns, "-o", "link", "show", "dev", "tbosgi0"));
        refs = ctx.getServiceReferences("org.tunnelbus.api.device.PacketDevice", null);
        System.out.println("service properties: " + (refs == null ? "NONE" : refs[0].getProperties()));
        p.put("mode", "bogus");
        confIf.getMethod("update", Dictionary.class).invoke(conf, p);
        Thread.sleep(500);
        System.out.println("after bad update: " + run("ip", "-n", ns, "-o", "link", "show", "dev", "tbosgi0"));
        Thread.sleep(300);
        System.out.println("reader threads before stop: " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("tunnelbus-tbosgi0")).sorted().toList());
        System.out.println("ping into the device (nothing answers): " + run("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.2", "-W", "1", "10.230.0.2"));
        t0 = System.nanoTime();
        mine.stop();
        System.out.println("reader threads after stop: " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("tunnelbus-tbosgi0")).toList());
        System.out.println("bundle stop took " + (System.nanoTime() - t0) / 1_000_000 + " ms; link now: " + run("ip", "-n", ns, "link", "show", "dev", "tbosgi0"));
        fw.stop();
        fw.waitForStop(5000);
    }

    static String run(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes());
        pr.waitFor();
        return out.strip() + " (exit " + pr.exitValue() + ")";
    }
}
