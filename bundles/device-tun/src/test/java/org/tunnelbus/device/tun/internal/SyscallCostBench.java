package org.tunnelbus.device.tun.internal;

import java.nio.ByteBuffer;

/**
 * How much a jnr-ffi call costs on this machine: {@code read(2)} on an empty non-blocking eventfd (the kernel
 * returns EAGAIN at once), so the figure is the fixed cost of one call: JNI/jffi + syscall entry and exit.
 *
 * <pre>mvn -q -pl bundles/device-tun test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.tunnelbus.device.tun.internal.SyscallCostBench</pre>
 */
public final class SyscallCostBench {
    public static void main(String[] args) {
        Native n = Native.get();
        int fd = n.libc.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        ByteBuffer b = ByteBuffer.allocateDirect(8);
        long addr = n.address(b);
        for (int round = 0; round < 3; round++) {
            int calls = 2_000_000;
            long t0 = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < calls; i++) {
                sink += n.libc.read(fd, addr, 8);
                sink += n.errno();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += n.address(b);
            }
            long t2 = System.nanoTime();
            System.out.printf("jnr-ffi read(EAGAIN) + errno: %.1f ns/call; direct buffer address: %.1f ns (%d)%n",
                    (t1 - t0) / (double) calls, (t2 - t1) / (double) calls, sink & 1);
        }
        n.libc.close(fd);
    }
}
