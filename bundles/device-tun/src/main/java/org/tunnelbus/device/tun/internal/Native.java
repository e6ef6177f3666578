package org.tunnelbus.device.tun.internal;

import java.nio.Buffer;

import com.kenai.jffi.MemoryIO;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Loads {@link LibC} once per class loader (one bundle revision) and holds the Linux constants of
 * {@code <linux/if_tun.h>}, {@code <fcntl.h>}, {@code <poll.h>} and {@code <errno.h>} (x86-64 and
 * aarch64 agree on all of them).
 */
final class Native {
    // open(2)
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0x0;
    // eventfd(2)
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    // setns(2)
    static final int CLONE_NEWNET = 0x40000000;

    // <linux/if_tun.h> ioctls
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    // ifr_flags
    static final short IFF_TUN = 0x0001;
    static final short IFF_TAP = 0x0002;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    // TUNSETOFFLOAD flags
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;

    // poll(2)
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    // errno
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EBADFD = 77;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;

    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;

    private static volatile Native instance;

    final LibC libc;
    final Runtime runtime;
    private final MemoryIO memory;

    private Native(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.memory = MemoryIO.getInstance();
    }

    /** The binding; loads libc on first use. */
    static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    LibC libc = LibraryLoader.create(LibC.class).load("c");
                    instance = n = new Native(libc);
                }
            }
        }
        return n;
    }

    /** {@code errno} of the last call on this thread. */
    int errno() {
        return runtime.getLastError();
    }

    /** The native address of a direct buffer's first byte (no allocation). */
    long address(Buffer direct) {
        return memory.getDirectBufferAddress(direct);
    }

    String strerror(int errno) {
        String s = libc.strerror(errno);
        return (s == null ? "errno" : s) + " (errno " + errno + ")";
    }
}
