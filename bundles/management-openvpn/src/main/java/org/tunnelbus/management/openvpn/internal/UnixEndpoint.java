package org.tunnelbus.management.openvpn.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocket;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;

/**
 * The unix socket, through jnr-unixsocket: created in a 0700 directory with mode 0600 (stock creates it with the
 * process umask, often 0777 minus 022; here only the instance's user may talk to it). A stale socket file of an
 * earlier run is replaced; the file is removed on close.
 */
final class UnixEndpoint implements Endpoint {
    private final Path path;
    private final UnixServerSocketChannel server;

    UnixEndpoint(Path path) throws IOException {
        this.path = path.toAbsolutePath();
        Path dir = this.path.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(this.path);
        server = UnixServerSocketChannel.open();
        try {
            server.socket().bind(new UnixSocketAddress(this.path.toFile()));
            Files.setPosixFilePermissions(this.path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot open the management socket " + this.path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Link accept() throws IOException {
        UnixSocketChannel ch = server.accept();
        if (ch == null) {
            throw new IOException("closed");
        }
        // the socket's streams, not Channels.newInputStream: those hold the channel's blocking lock while a read
        // blocks, so a notification could not be written while the client is silent
        UnixSocket socket = ch.socket();
        return new Link(socket.getInputStream(), socket.getOutputStream(), ch, "unix");
    }

    @Override
    public String describe() {
        return "unix:" + path;
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
