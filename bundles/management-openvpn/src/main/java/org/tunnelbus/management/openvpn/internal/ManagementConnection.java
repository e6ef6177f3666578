package org.tunnelbus.management.openvpn.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One management client. Its reader thread reads command lines and answers them; everything it is sent (answers
 * and real-time notifications alike) goes through one bounded outbox drained by its writer thread, so a session's
 * control thread that reports a client never blocks on a slow management client: a client that stops reading
 * until {@value #OUTBOX} lines wait is disconnected.
 *
 * <p>As stock: lines end with CRLF; with a password, {@code ENTER PASSWORD:} (no line end) until the right one,
 * at most {@value #PASSWORD_TRIES} tries (a wrong one gets the prompt again, nothing else); then the {@code >INFO:} banner; {@code quit} or {@code exit} end it.
 */
final class ManagementConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementConnection.class);
    static final int OUTBOX = 20_000;
    static final int PASSWORD_TRIES = 3;
    private static final int MAX_LINE = 8192;
    private static final String EOF = new String("eof"); // identity marker that ends the writer

    private final Link link;
    private final Commands commands;
    private final String password;
    private final ConnectionState state = new ConnectionState();
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(OUTBOX);
    private final Consumer<ManagementConnection> onClose;
    private volatile boolean authenticated;
    private volatile boolean closed;

    ManagementConnection(Link link, Commands commands, String password, Consumer<ManagementConnection> onClose) {
        this.link = link;
        this.commands = commands;
        this.password = password;
        this.onClose = onClose;
    }

    ConnectionState state() {
        return state;
    }

    /** Whether this client may receive real-time notifications (it passed the password, if one is needed). */
    boolean ready() {
        return authenticated && !closed;
    }

    /** Starts the reader and writer threads. */
    void start(String name) {
        Thread writer = new Thread(this::drain, name + "-out");
        writer.setDaemon(true);
        writer.start();
        Thread reader = new Thread(this, name + "-in");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void run() {
        try {
            InputStream in = link.in();
            if (!login(in)) {
                return;
            }
            authenticated = true;
            send(">INFO:OpenVPN Management Interface Version " + Commands.MANAGEMENT_VERSION + " -- type 'help' for more info");
            String line;
            while (!closed && (line = readLine(in)) != null) {
                String t = line.trim();
                if (t.equals("quit") || t.equals("exit")) {
                    break;
                }
                List<String> out = commands.run(t, state);
                out.forEach(this::send);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("Management connection {} ended: {}", link.peer(), e.toString());
            }
        } finally {
            close();
        }
    }

    private boolean login(InputStream in) throws IOException {
        if (password == null) {
            return true;
        }
        for (int tries = 0; tries < PASSWORD_TRIES; tries++) {
            sendRaw("ENTER PASSWORD:");
            String line = readLine(in);
            if (line == null) {
                return false;
            }
            if (MessageDigest.isEqual(line.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
                send("SUCCESS: password is correct");
                return true;
            }
            // stock answers a wrong password with nothing but the next prompt (its ERROR line never reaches a
            // client that has not logged in)
        }
        LOG.warn("Management client {} refused after {} wrong passwords", link.peer(), PASSWORD_TRIES);
        return false;
    }

    /** One line (CR and LF removed), null at the end of the stream; over-long lines end the connection. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8).replace("\r", "");
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("command line longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
        return b.size() > 0 ? b.toString(StandardCharsets.UTF_8).replace("\r", "") : null;
    }

    /** Queues several lines as one piece (a {@code >CLIENT:} notification and its ENV lines stay together). */
    void sendBlock(List<String> lines) {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append("\r\n"));
        sendRaw(b.toString());
    }

    /** Queues one line (CRLF added); a client that does not read is disconnected. */
    void send(String line) {
        sendRaw(line + "\r\n");
    }

    private void sendRaw(String text) {
        if (closed) {
            return;
        }
        if (!outbox.offer(text)) {
            LOG.warn("Management client {} does not read its notifications ({} waiting): disconnecting it", link.peer(),
                    OUTBOX);
            close();
        }
    }

    private void drain() {
        try {
            OutputStream out = link.out();
            String s;
            while ((s = outbox.take()) != EOF) {
                out.write(s.getBytes(StandardCharsets.UTF_8));
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            LOG.debug("Management connection {}: {}", link.peer(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeSocket();
        }
    }

    /** Ends the connection: what is queued is still written (unless the outbox is full), then the socket closes. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.accept(this);
        if (!outbox.offer(EOF)) {
            outbox.clear();
            outbox.offer(EOF);
        }
    }

    private void closeSocket() {
        try {
            link.socket().close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", link.peer(), e.toString());
        }
    }
}
