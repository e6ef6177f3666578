package org.tunnelbus.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;


/**
 * The same work as {@link BusBenchmark}, timed by the thread's CPU time instead of the wall clock, so a
 * busy shared machine (time slices lost to other processes) inflates it less. Not a replacement for JMH:
 * a rough cross-check. Also reports heap bytes allocated per packet by this thread.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.tunnelbus.bench.CpuTimePerPacket</pre>
 */
public final class CpuTimePerPacket {
    private CpuTimePerPacket() {
    }

    public static void main(String[] args) {
        BusBenchmark b = new BusBenchmark();
        b.poolPackets = args.length > 0 ? Integer.parseInt(args[0]) : 16384;
        b.setUp();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
        long tid = Thread.currentThread().getId();
        int n = 20_000_000;
        for (int round = 0; round < 3; round++) {
            for (String mode : new String[] {"onePacket", "batchOf32", "allocateRelease"}) {
                long bytes0 = hs.getThreadAllocatedBytes(tid);
                long t0 = mx.getCurrentThreadCpuTime();
                if (mode.equals("onePacket")) {
                    for (int i = 0; i < n; i++) {
                        b.onePacket();
                    }
                } else if (mode.equals("batchOf32")) {
                    for (int i = 0; i < n / 32; i++) {
                        b.batchOf32();
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        b.allocateRelease();
                    }
                }
                long cpu = mx.getCurrentThreadCpuTime() - t0;
                long bytes = hs.getThreadAllocatedBytes(tid) - bytes0;
                if (round == 2) {
                    System.out.printf("%-16s %6.1f ns CPU per packet, %.4f B allocated per packet%n", mode,
                            (double) cpu / n, (double) bytes / n);
                }
            }
        }
        b.tearDown();
    }

}
