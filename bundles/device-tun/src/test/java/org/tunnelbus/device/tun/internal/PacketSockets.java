package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jnr.ffi.LibraryLoader;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The kernel's side of an interface for tests: {@code AF_PACKET} sockets bound to it, made in the test's
 * namespace. {@link #send} puts an IP packet into the interface's transmit path exactly as given (the
 * device reads those bytes); {@link #receive} returns the next IP packet the interface received (what the
 * device wrote), byte for byte, before any routing.
 */
final class PacketSockets implements AutoCloseable {
    /** socket/bind for AF_PACKET (test only). */
    public interface Sock {
        int socket(int domain, int type, int protocol);

        int bind(int fd, @intptr_t long addr, int len);

        @ssize_t long recv(int fd, @intptr_t long buf, @size_t long len, int flags);
    }

    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int ETH_P_IP_BE = 0x0008; // htons(0x0800)

    private static volatile Sock sock;
    private final Native n = Native.get();
    private final int tx;
    private final int rx;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer pollfd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

    private PacketSockets(int tx, int rx) {
        this.tx = tx;
        this.rx = rx;
    }

    /** Opens both sockets on interface {@code ifindex} of namespace {@code ns}. */
    static PacketSockets open(Netns ns, int ifindex) throws Exception {
        if (sock == null) {
            sock = LibraryLoader.create(Sock.class).load("c");
        }
        int[] fds = ns.call(() -> new int[] {bound(ifindex), bound(ifindex)});
        return new PacketSockets(fds[0], fds[1]);
    }

    private static int bound(int ifindex) {
        Native n = Native.get();
        int fd = sock.socket(AF_PACKET, SOCK_DGRAM, ETH_P_IP_BE);
        if (fd < 0) {
            throw new IllegalStateException("socket(AF_PACKET): " + n.strerror(n.errno()));
        }
        ByteBuffer sll = ByteBuffer.allocateDirect(20).order(ByteOrder.nativeOrder());
        sll.putShort(0, (short) AF_PACKET).putShort(2, (short) ETH_P_IP_BE).putInt(4, ifindex);
        if (sock.bind(fd, n.address(sll), 20) != 0) {
            int e = n.errno();
            n.libc.close(fd);
            throw new IllegalStateException("bind(AF_PACKET): " + n.strerror(e));
        }
        return fd;
    }

    void send(byte[] packet) {
        ByteBuffer b = ByteBuffer.allocateDirect(packet.length).put(packet);
        if (n.libc.write(tx, n.address(b), packet.length) != packet.length) {
            throw new IllegalStateException("send on AF_PACKET: " + n.strerror(n.errno()));
        }
    }

    /** The next packet received on the interface, or null after {@code timeoutMs}. */
    byte[] receive(long timeoutMs) {
        pollfd.putInt(0, rx).putShort(4, Native.POLLIN).putShort(6, (short) 0);
        if (n.libc.poll(n.address(pollfd), 1, (int) timeoutMs) <= 0) {
            return null;
        }
        long got = sock.recv(rx, n.address(buf), buf.capacity(), 0);
        if (got < 0) {
            return null;
        }
        byte[] out = new byte[(int) got];
        buf.get(0, out);
        return out;
    }

    @Override
    public void close() {
        n.libc.close(tx);
        n.libc.close(rx);
    }
}
