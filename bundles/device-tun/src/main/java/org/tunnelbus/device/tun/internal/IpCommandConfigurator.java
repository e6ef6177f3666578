package org.tunnelbus.device.tun.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InterfaceConfigurator} through iproute2's {@code ip}, started with an argument list (never a
 * shell, so no value is ever interpreted) and {@code -n NETNS} for a device in another namespace.
 * Values reach here validated by {@link DeviceConfig}; each is still one argument of its own.
 */
final class IpCommandConfigurator implements InterfaceConfigurator {
    private static final Logger LOG = LoggerFactory.getLogger(IpCommandConfigurator.class);
    private static final long TIMEOUT_MS = 10_000;
    private static final List<String> CANDIDATES = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    private volatile String ip;

    /** Finds {@code ip} on first use, so that a missing iproute2 shows up as a configuration error. */
    IpCommandConfigurator() {
    }

    IpCommandConfigurator(String ipExecutable) {
        this.ip = ipExecutable;
    }

    /** The {@code ip} executable, or a clear error when iproute2 is missing. */
    static String locate() {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new ConfigureException("iproute2 'ip' not found in " + CANDIDATES + " (install the iproute2 package)");
    }

    @Override
    public void setMtu(Link link, int mtu) {
        run(link, "link", "set", "dev", link.name(), "mtu", Integer.toString(mtu));
    }

    @Override
    public void setTxQueueLen(Link link, int txqueuelen) {
        run(link, "link", "set", "dev", link.name(), "txqueuelen", Integer.toString(txqueuelen));
    }

    @Override
    public void setMac(Link link, String mac) {
        run(link, "link", "set", "dev", link.name(), "address", mac);
    }

    @Override
    public void setUp(Link link) {
        run(link, "link", "set", "dev", link.name(), "up");
    }

    @Override
    public void addAddress(Link link, DeviceConfig.IfAddress a) {
        run(link, a.ipv6() ? "-6" : "-4", "address", "add", a.cidr(), "dev", link.name());
    }

    @Override
    public void removeAddress(Link link, DeviceConfig.IfAddress a) {
        run(link, a.ipv6() ? "-6" : "-4", "address", "del", a.cidr(), "dev", link.name());
    }

    @Override
    public void addRoute(Link link, DeviceConfig.Route r) {
        List<String> args = new ArrayList<>(List.of(r.ipv6() ? "-6" : "-4", "route", "add"));
        args.addAll(r.ipArguments(link.name()));
        run(link, args.toArray(String[]::new));
    }

    @Override
    public void removeRoute(Link link, DeviceConfig.Route r) {
        List<String> args = new ArrayList<>(List.of(r.ipv6() ? "-6" : "-4", "route", "del"));
        args.addAll(r.ipArguments(link.name()));
        run(link, args.toArray(String[]::new));
    }

    @Override
    public boolean exists(Link link) {
        return exec(link, "link", "show", "dev", link.name()).exit == 0;
    }

    private void run(Link link, String... args) {
        Result r = exec(link, args);
        if (r.exit != 0) {
            throw new ConfigureException(r.command + " failed (exit " + r.exit + "): " + r.output.strip());
        }
        LOG.debug("{}", r.command);
    }

    private record Result(String command, int exit, String output) {
    }

    private Result exec(Link link, String... args) {
        String exe = ip;
        if (exe == null) {
            ip = exe = locate();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        if (!link.netns().isEmpty()) {
            cmd.add("-n");
            cmd.add(link.netns());
        }
        cmd.addAll(List.of(args));
        String shown = String.join(" ", cmd);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ConfigureException(shown + " could not start: " + e.getMessage());
        }
        try {
            String out = readAll(p.getInputStream());
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ConfigureException(shown + " did not finish within " + TIMEOUT_MS + " ms");
            }
            return new Result(shown, p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ConfigureException(shown + " interrupted");
        }
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(b)) > 0 && out.size() < 65536) {
                out.write(b, 0, n);
            }
        } catch (IOException e) {
            // the exit code tells
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
