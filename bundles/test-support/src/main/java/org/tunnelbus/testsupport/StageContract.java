package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;
import org.tunnelbus.core.internal.buffer.PacketPool;

/**
 * What every {@link Stage} promises, as a JUnit 5 suite to subclass (one per stage implementation):
 * <ul>
 *   <li>it never throws on garbage: random bytes of every length from 0 to the buffer's capacity;</li>
 *   <li>it always returns a verdict, and never releases a packet it did not consume;</li>
 *   <li>it never leaks: run through the real bus, every packet is back in the pool afterwards;</li>
 *   <li>it stays within the headroom and tailroom it declares, on the inputs it is made for.</li>
 * </ul>
 * <pre>
 * class MssClampContractTest extends StageContract {
 *     protected Stage createStage() { return new MssClamp(); }
 *     protected List&lt;byte[]&gt; validInputs(Random r) { return List.of(tcpSyn(1460), tcpSyn(9000)); }
 * }
 * </pre>
 */
public abstract class StageContract {

    /** A fresh instance of the stage under test. */
    protected abstract Stage createStage() throws Exception;

    /**
     * Inputs the stage is made for (for the headroom/tailroom check). The default is random bytes, which
     * suits stages that pass or drop anything; override with real packets where the stage parses them.
     */
    protected List<byte[]> validInputs(Random random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[random.nextInt(1400)];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    /** The box and directions the stage is registered with (for the run through the bus). */
    protected Box box() {
        return Box.OTHER;
    }

    /** Releases packets the stage consumed and still owns (queued, handed on); default: nothing. */
    protected void releaseConsumed(Stage stage) throws Exception {
    }

    protected int fuzzIterations() {
        return 2000;
    }

    /** Seed of the fuzzer: a failure prints it and can be replayed. */
    protected long seed() {
        return 0x7b5eed5L;
    }

    private static final int FUZZ_BUFFER = 2048;

    @Test
    void neverThrowsOnGarbageAndAlwaysReturnsAVerdict() throws Exception {
        Stage stage = createStage();
        PacketPool pool = new PacketPool(64, FUZZ_BUFFER, Math.max(128, stage.headroom()),
                Math.max(0, stage.tailroom()), true);
        Random r = new Random(seed());
        int consumed = 0;
        for (int i = 0; i < fuzzIterations(); i++) {
            int len = switch (i % 8) {
                case 0 -> 0;
                case 1 -> 1 + r.nextInt(4);
                case 2 -> 5 + r.nextInt(60);
                case 3 -> FUZZ_BUFFER;
                default -> r.nextInt(FUZZ_BUFFER + 1);
            };
            byte[] data = new byte[len];
            r.nextBytes(data);
            if (i % 16 == 9 && len > 0) {
                data[0] = (byte) (i % 32 == 9 ? 0x45 : 0x60); // looks like IPv4 / IPv6, to get past the first check
            }
            Packet p = pool.allocate();
            assertNotNull(p, "the stage kept packets without consuming them (pool of 64 ran dry at " + i + ")");
            p.put(data, 0, len);
            final int n = i;
            Verdict v = assertDoesNotThrow(() -> stage.process(p),
                    () -> "input #" + n + " (seed " + seed() + ", " + len + " bytes) made the stage throw");
            assertNotNull(v, "input #" + i + ": the stage returned no verdict");
            if (v == Verdict.CONSUMED) {
                consumed++;
                if (pool.outstanding() > 32) {
                    releaseConsumed(stage);
                }
                continue;
            }
            assertFalse(p.isFree(), "input #" + i + ": the stage released a packet it did not consume (" + v + ")");
            p.release();
        }
        releaseConsumed(stage);
        assertEquals(0, pool.outstanding(), "packets consumed (" + consumed + ") and never released: "
                + pool.leaks().describe());
    }

    @Test
    void neverLeaksThroughTheBus() throws Exception {
        Stage stage = createStage();
        try (StageHarness h = new StageHarness(256, FUZZ_BUFFER, Math.max(128, stage.headroom()))) {
            h.stage(stage, "under-test", box());
            Random r = new Random(seed() + 1);
            for (Direction d : Direction.values()) {
                for (int batch = 0; batch < 20; batch++) {
                    byte[][] packets = new byte[8][];
                    for (int i = 0; i < packets.length; i++) {
                        packets[i] = new byte[r.nextInt(1500)];
                        r.nextBytes(packets[i]);
                    }
                    h.submit(d, packets);
                    h.sink(d).clear();
                }
            }
            releaseConsumed(stage);
            h.assertNoLeaks();
            assertEquals(0, h.counter("outgoing.under-test.drop.stage-error"), "the stage threw inside the bus");
            assertEquals(0, h.counter("incoming.under-test.drop.stage-error"), "the stage threw inside the bus");
        }
    }

    @Test
    void staysWithinTheHeadroomAndTailroomItDeclares() throws Exception {
        Stage stage = createStage();
        int head = stage.headroom();
        int tail = stage.tailroom();
        assertTrue(head >= 0 && tail >= 0, "declared room must not be negative: " + head + "/" + tail);
        List<byte[]> inputs = validInputs(new Random(seed() + 2));
        int max = 1;
        for (byte[] b : inputs) {
            max = Math.max(max, b.length);
        }
        // exactly the declared room: one byte more used than declared is an IndexOutOfBoundsException
        PacketPool pool = new PacketPool(inputs.size() + 1, max, head, tail, true);
        for (int i = 0; i < inputs.size(); i++) {
            byte[] in = inputs.get(i);
            Packet p = pool.allocate();
            p.put(in, 0, in.length);
            final int n = i;
            Verdict v = assertDoesNotThrow(() -> stage.process(p),
                    () -> "valid input #" + n + " (" + in.length + " bytes) needed more than the declared headroom "
                            + head + " / tailroom " + tail);
            assertNotNull(v);
            if (v != Verdict.CONSUMED) {
                assertTrue(p.offset() >= 0 && p.offset() + p.length() <= p.buffer().capacity());
                p.release();
            }
        }
        releaseConsumed(stage);
        assertEquals(0, pool.outstanding(), pool.leaks().describe());
    }
}
