package org.tunnelbus.management.openvpn.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback TCP (stock: {@code --management 127.0.0.1 PORT pw-file}); the settings allow loopback addresses only. */
final class TcpEndpoint implements Endpoint {
    private final ServerSocket server;

    TcpEndpoint(InetAddress address, int port) throws IOException {
        server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), 8);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Link accept() throws IOException {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        return new Link(s.getInputStream(), s.getOutputStream(), s,
                s.getInetAddress().getHostAddress() + ":" + s.getPort());
    }

    /** The bound port (for tests that ask for port 0). */
    int port() {
        return server.getLocalPort();
    }

    @Override
    public String describe() {
        return "tcp:" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
