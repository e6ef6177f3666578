package org.tunnelbus.e2e.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A stock {@code openvpn} 2.6 process (client or server) in a namespace, with its log. */
public final class OpenvpnClient implements AutoCloseable {
    public static final Pattern CONNECTED = Pattern.compile("Initialization Sequence Completed");
    public static final Pattern DATA_CIPHER = Pattern.compile("Data Channel: cipher '([^']+)'");

    private final Netns ns;
    private final ManagedProcess process;

    private OpenvpnClient(Netns ns, ManagedProcess process) {
        this.ns = ns;
        this.process = process;
    }

    /** {@code openvpn --config CONFIG EXTRA...} in {@code ns}; output to {@code log}. */
    public static OpenvpnClient start(Cleanup cleanup, Netns ns, String label, Path config, Path log, String... extra) {
        // verb 4: the client also logs the data packets it drops as replays, which a lost ping may come down to
        List<String> c = new ArrayList<>(List.of("openvpn", "--config", config.toString(), "--verb", "4"));
        c.addAll(List.of(extra));
        return new OpenvpnClient(ns, ns.start(cleanup, label, log, c, null));
    }

    public Netns ns() {
        return ns;
    }

    public ManagedProcess process() {
        return process;
    }

    /** Waits for "Initialization Sequence Completed"; returns the client's tunnel address (tun0). */
    public String waitConnected(Duration timeout) {
        return waitConnected(timeout, null);
    }

    /** As {@link #waitConnected(Duration)}; a failure also shows the listener counters of {@code server}. */
    public String waitConnected(Duration timeout, TunnelbusServer server) {
        try {
            process.waitForLine(CONNECTED, timeout);
        } catch (AssertionError e) {
            if (server == null) {
                throw e;
            }
            throw new AssertionError(e.getMessage() + "\nlistener counters of the server (tunnelbus counters):"
                    + server.counterReport("openvpn."), e);
        }
        String a = ns.ipv4Of("tun0");
        if (a == null) {
            throw new AssertionError(process.label() + " says it is connected, but tun0 in " + ns.name()
                    + " has no IPv4 address; last lines:\n" + process.tail(30));
        }
        return a;
    }

    /** The data cipher the client reports ("Data Channel: cipher 'X'"), the latest one. */
    public String dataCipher() {
        String cipher = null;
        for (String l : process.lines()) {
            Matcher m = DATA_CIPHER.matcher(l);
            if (m.find()) {
                cipher = m.group(1);
            }
        }
        return cipher;
    }

    @Override
    public void close() {
        process.close();
    }
}
