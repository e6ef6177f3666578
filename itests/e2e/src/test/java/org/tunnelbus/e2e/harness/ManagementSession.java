package org.tunnelbus.e2e.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client of an OpenVPN management interface (stock's or Tunnelbus's) on a unix socket: sends commands, tells
 * answers from real-time notifications ({@code >...} lines), and records the whole transcript. Every wait is
 * bounded.
 */
public final class ManagementSession implements AutoCloseable {
    private static final String CLOSED = new String("closed");

    private final String label;
    private final SocketChannel channel;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> notifications = new ArrayList<>();
    private final List<String> transcript = new ArrayList<>();

    private ManagementSession(String label, SocketChannel channel) {
        this.label = label;
        this.channel = channel;
        // the channel itself, not Channels.newInputStream/newOutputStream: those share the channel's blocking lock,
        // so a read waiting for a notification would block every command
        Thread reader = new Thread(this::read, "management-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to the unix socket {@code path}, waiting up to {@code timeout} for it to appear. */
    public static ManagementSession connect(String label, Path path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(path));
                    return new ManagementSession(label, ch);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
            } catch (IOException e) {
                last = e;
                Traffic.sleep(200);
            }
        }
        throw new AssertionError(label + ": no management socket at " + path + " within " + timeout + ": " + last);
    }

    private void read() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
        try {
            while (channel.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte c = buf.get();
                    if (c == '\n') {
                        take(endOfLine(line.toString(StandardCharsets.UTF_8)));
                        line.reset();
                    } else {
                        line.write(c);
                    }
                }
                buf.clear();
            }
        } catch (IOException e) {
            // closed
        } finally {
            answers.add(CLOSED);
        }
    }

    /** Stock ends lines with CRLF: a bare LF shows in the comparison. */
    private static String endOfLine(String l) {
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l + "<no CR>";
    }

    private void take(String l) {
        synchronized (transcript) {
            transcript.add(l);
            if (l.startsWith(">")) {
                notifications.add(l);
                transcript.notifyAll();
                return;
            }
        }
        answers.add(l);
    }

    /** Waits for the banner ({@code >INFO:...}). */
    public String banner(Duration timeout) {
        return waitNotification(l -> l.startsWith(">INFO:"), timeout);
    }

    /**
     * Sends {@code command} and returns its answer: one {@code SUCCESS:}/{@code ERROR:} line, or the lines up to
     * and including {@code END}.
     */
    public List<String> command(String command, Duration timeout) {
        send(command);
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String l;
            try {
                l = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (l == null || l == CLOSED) {
                throw new AssertionError(label + ": no complete answer to '" + command + "' within " + timeout
                        + " (got " + lines + ")");
            }
            lines.add(l);
            if (lines.size() == 1 && (l.startsWith("SUCCESS:") || l.startsWith("ERROR:")) || l.equals("END")) {
                return lines;
            }
        }
    }

    public void send(String command) {
        try {
            synchronized (transcript) {
                transcript.add("<< " + command);
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(label + ": cannot send '" + command + "'", e);
        }
    }

    /** The first notification line matching {@code p}, waiting up to {@code timeout}. */
    public String waitNotification(Predicate<String> p, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        synchronized (transcript) {
            while (true) {
                for (String n : notifications) {
                    if (p.test(n)) {
                        return n;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError(label + ": no matching notification within " + timeout + "; got "
                            + notifications);
                }
                try {
                    transcript.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * The notification that starts with {@code head} (e.g. {@code >CLIENT:ESTABLISHED,}) and its {@code >CLIENT:ENV}
     * lines up to {@code >CLIENT:ENV,END}, as {@code name=value} strings; waits up to {@code timeout}.
     */
    public List<String> clientBlock(String head, Duration timeout) {
        waitNotification(l -> l.startsWith(head), timeout);
        waitNotification(l -> l.equals(">CLIENT:ENV,END") && afterHead(head), timeout);
        synchronized (transcript) {
            List<String> env = new ArrayList<>();
            boolean in = false;
            for (String n : notifications) {
                if (!in && n.startsWith(head)) {
                    in = true;
                    env.add(n);
                } else if (in && n.equals(">CLIENT:ENV,END")) {
                    return env;
                } else if (in && n.startsWith(">CLIENT:ENV,")) {
                    env.add(n.substring(">CLIENT:ENV,".length()));
                }
            }
            throw new AssertionError(label + ": incomplete " + head + " block: " + env);
        }
    }

    private boolean afterHead(String head) {
        boolean seen = false;
        for (String n : notifications) {
            seen |= n.startsWith(head);
            if (seen && n.equals(">CLIENT:ENV,END")) {
                return true;
            }
        }
        return false;
    }

    /** Everything so far: sent commands as {@code << command}, then every line received. */
    public List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }
}
