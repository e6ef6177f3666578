package org.tunnelbus.device.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests against the real kernel: checks the prerequisites, and closes every device and
 * namespace a test made, in reverse order, whether it passed or failed. Devices are always created inside
 * a namespace of the test: the root namespace never gets one.
 */
abstract class KernelTestSupport {
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    /** Tools this test class needs besides root, /dev/net/tun and ip. */
    String[] tools() {
        return new String[] {"ip", "ping"};
    }

    @BeforeEach
    void prerequisites() {
        Prerequisites.require(tools());
    }

    @AfterEach
    void cleanUp() {
        Throwable first = null;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
            }
        }
        if (first != null) {
            throw new AssertionError("cleanup failed", first);
        }
    }

    Netns netns() {
        Netns ns = Netns.create();
        cleanup.push(ns);
        return ns;
    }

    /** Activates a device in {@code ns} with {@code props} and starts it with {@code parent} (if not null). */
    TunDevice device(Netns ns, Map<String, Object> props, Harness parent) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("netns", ns.name);
        p.putIfAbsent("service.pid", TunDevice.PID + "~" + ns.name);
        TunDevice d = new TunDevice(new IpCommandConfigurator());
        RecordingPublisher pub = new RecordingPublisher();
        d.activate(pub, p);
        cleanup.push(() -> {
            if (d.state() != org.tunnelbus.api.device.DeviceState.CLOSED) {
                d.deactivate();
            }
        });
        if (parent != null) {
            parent.target = d;
            d.start(parent);
        }
        return d;
    }

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static void ping(Netns ns, String... args) {
        String[] cmd = new String[args.length + 7];
        cmd[0] = "ping";
        cmd[1] = "-c";
        cmd[2] = "3";
        cmd[3] = "-i";
        cmd[4] = "0.2";
        cmd[5] = "-W";
        cmd[6] = "2";
        System.arraycopy(args, 0, cmd, 7, args.length);
        Netns.Result r = ns.exec(Duration.ofSeconds(20), cmd);
        assertEquals(0, r.exit(), "ping " + String.join(" ", args) + " in " + ns.name + ": " + r.output());
        assertTrue(r.output().contains(" 0% packet loss"), r.output());
    }

    /** The interface's index, or -1 when it does not exist. */
    static int ifindex(Netns ns, String dev) {
        Netns.Result r = ns.ip("-o", "link", "show", "dev", dev);
        if (r.exit() != 0) {
            return -1;
        }
        return Integer.parseInt(r.output().substring(0, r.output().indexOf(':')).trim());
    }

    static long counter(TunDevice d, String suffix) {
        Long v = d.counters().get(suffix);
        if (v == null) {
            throw new AssertionError("no counter " + suffix + " in " + d.counters());
        }
        return v;
    }
}
