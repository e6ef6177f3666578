package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.device.DeviceMode;

/**
 * The file descriptors of one open TUN/TAP interface: one per queue, each opened on
 * {@code /dev/net/tun} with {@code TUNSETIFF} ({@code IFF_NO_PI}, plus {@code IFF_MULTI_QUEUE} for more
 * than one queue and {@code IFF_VNET_HDR} for offload), non-blocking, close-on-exec.
 *
 * <p>The interface exists as long as one of its descriptors is open (it is not made persistent), so
 * {@link #close()} removes it from the kernel together with its addresses and routes.
 */
final class TunFd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunFd.class);

    /** Offload asked of the kernel: checksum, TSO for IPv4/IPv6 (with ECN) and, when known, USO. */
    static final int OFFLOAD_ALL = Native.TUN_F_CSUM | Native.TUN_F_TSO4 | Native.TUN_F_TSO6 | Native.TUN_F_TSO_ECN
            | Native.TUN_F_USO4 | Native.TUN_F_USO6;
    static final int OFFLOAD_TSO = Native.TUN_F_CSUM | Native.TUN_F_TSO4 | Native.TUN_F_TSO6 | Native.TUN_F_TSO_ECN;

    private final Native n;
    private final String name;
    private final int[] fds;
    private volatile int offloadFlags;
    private boolean closed;

    private TunFd(Native n, String name, int[] fds, int offloadFlags) {
        this.n = n;
        this.name = name;
        this.fds = fds;
        this.offloadFlags = offloadFlags;
    }

    /**
     * Opens the interface with every queue, in {@code c.netns()} when set.
     *
     * @throws IllegalStateException with the kernel's reason (no {@code /dev/net/tun}, no
     *         {@code CAP_NET_ADMIN}, name in use, ...)
     */
    static TunFd open(DeviceConfig c) throws Exception {
        return NetnsRunner.call(c.netns(), () -> openHere(c));
    }

    private static TunFd openHere(DeviceConfig c) {
        Native n = Native.get();
        short flags = (short) ((c.mode() == DeviceMode.TUN ? Native.IFF_TUN : Native.IFF_TAP) | Native.IFF_NO_PI);
        if (c.queues() > 1) {
            flags |= Native.IFF_MULTI_QUEUE;
        }
        if (c.offload()) {
            flags |= Native.IFF_VNET_HDR;
        }
        int[] fds = new int[c.queues()];
        String name = c.name();
        int opened = 0;
        try {
            for (int q = 0; q < fds.length; q++) {
                fds[q] = openQueue(n, name, flags);
                opened++;
                if (q == 0) {
                    name = actualName(n, fds[0], name);
                }
            }
            int offload = 0;
            if (c.offload()) {
                ByteBuffer size = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, VirtioNetHeader.SIZE);
                if (n.libc.ioctl(fds[0], Native.TUNSETVNETHDRSZ, n.address(size)) != 0) {
                    throw new IllegalStateException("TUNSETVNETHDRSZ on " + name + ": " + n.strerror(n.errno()));
                }
                offload = setOffload(n, fds[0], name, OFFLOAD_ALL);
            }
            return new TunFd(n, name, fds, offload);
        } catch (RuntimeException e) {
            for (int q = 0; q < opened; q++) {
                n.libc.close(fds[q]);
            }
            throw e;
        }
    }

    private static int openQueue(Native n, String name, short flags) {
        int fd = n.libc.open("/dev/net/tun", Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0) {
            int e = n.errno();
            throw new IllegalStateException("open /dev/net/tun: " + n.strerror(e)
                    + (e == Native.ENOENT ? " - load the tun module / create the device node (mknod /dev/net/tun c 10 200)" : "")
                    + (e == Native.EPERM || e == 13 ? " - needs root or CAP_NET_ADMIN" : ""));
        }
        ByteBuffer ifr = ifreq(name, flags);
        if (n.libc.ioctl(fd, Native.TUNSETIFF, n.address(ifr)) != 0) {
            int e = n.errno();
            n.libc.close(fd);
            throw new IllegalStateException("TUNSETIFF " + name + ": " + n.strerror(e)
                    + (e == Native.EPERM ? " - needs CAP_NET_ADMIN" : "")
                    + (e == Native.EBUSY || e == Native.EINVAL ? " - is the name taken by another interface, or opened with other flags?" : ""));
        }
        return fd;
    }

    private static String actualName(Native n, int fd, String fallback) {
        ByteBuffer ifr = ByteBuffer.allocateDirect(Native.IFREQ_SIZE).order(ByteOrder.nativeOrder());
        if (n.libc.ioctl(fd, Native.TUNGETIFF, n.address(ifr)) != 0) {
            return fallback;
        }
        byte[] b = new byte[Native.IFNAMSIZ];
        ifr.get(0, b);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.US_ASCII);
    }

    static ByteBuffer ifreq(String name, short flags) {
        ByteBuffer ifr = ByteBuffer.allocateDirect(Native.IFREQ_SIZE).order(ByteOrder.nativeOrder());
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        ifr.put(0, b, 0, Math.min(b.length, Native.IFNAMSIZ - 1));
        ifr.putShort(Native.IFNAMSIZ, flags);
        return ifr;
    }

    /** Sets the offload flags, dropping USO on kernels that do not know it; returns what was set. */
    private static int setOffload(Native n, int fd, String name, int wanted) {
        if (n.libc.ioctl(fd, Native.TUNSETOFFLOAD, wanted) == 0) {
            return wanted;
        }
        int e = n.errno();
        int fallback = wanted & ~(Native.TUN_F_USO4 | Native.TUN_F_USO6);
        if (e == Native.EINVAL && fallback != wanted && n.libc.ioctl(fd, Native.TUNSETOFFLOAD, fallback) == 0) {
            LOG.info("{}: kernel has no UDP segmentation offload (USO) for tun; TSO only", name);
            return fallback;
        }
        throw new IllegalStateException("TUNSETOFFLOAD " + Integer.toHexString(wanted) + " on " + name + ": " + n.strerror(e));
    }

    /** Changes the offload flags at run time (e.g. without TSO when the buffers cannot hold 64 KiB). */
    synchronized void offload(int flags) {
        if (closed || flags == offloadFlags) {
            return;
        }
        if (flags != 0) {
            offloadFlags = setOffload(n, fds[0], name, flags);
        } else if (n.libc.ioctl(fds[0], Native.TUNSETOFFLOAD, 0) == 0) {
            offloadFlags = 0;
        } else {
            throw new IllegalStateException("TUNSETOFFLOAD 0 on " + name + ": " + n.strerror(n.errno()));
        }
    }

    /** The kernel's name of the interface (a {@code %d} in the configured name is resolved). */
    String name() {
        return name;
    }

    int queues() {
        return fds.length;
    }

    int fd(int queue) {
        return fds[queue];
    }

    int offloadFlags() {
        return offloadFlags;
    }

    /** True when the kernel may hand us TCP (or UDP) super-packets. */
    boolean gso() {
        return (offloadFlags & (Native.TUN_F_TSO4 | Native.TUN_F_TSO6 | Native.TUN_F_USO4 | Native.TUN_F_USO6)) != 0;
    }

    /** Closes every queue; the kernel removes the interface with the last one. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int fd : fds) {
            if (n.libc.close(fd) != 0) {
                LOG.warn("{}: close fd {}: {}", name, fd, n.strerror(n.errno()));
            }
        }
    }
}
