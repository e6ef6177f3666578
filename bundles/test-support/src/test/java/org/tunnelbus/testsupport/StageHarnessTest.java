package org.tunnelbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tunnelbus.api.pipeline.Box;
import org.tunnelbus.api.pipeline.Direction;

class StageHarnessTest {
    @Test
    void runsStagesOnTheRealChainAndCounts() {
        try (StageHarness h = new StageHarness()) {
            h.stage(new SampleStages.AddHeader(), "frame", Box.ENCAP, Direction.OUTGOING);
            h.stage(new SampleStages.StripHeader(), "frame", Box.ENCAP, Direction.INCOMING);
            h.submit(Direction.OUTGOING, new byte[] {1, 2, 3});
            byte[] framed = h.outgoing().takeBytes();
            assertArrayEquals(new byte[] {'T', 'B', 0, 3, 1, 2, 3}, framed);
            h.submit(Direction.INCOMING, framed, new byte[] {9, 9});
            assertArrayEquals(new byte[] {1, 2, 3}, h.incoming().takeBytes());
            assertEquals(0, h.incoming().size());
            assertEquals(1, h.counter("incoming.frame.drop.not-framed"));
            assertEquals(1, h.counter("outgoing.frame.packets"));
            h.assertNoLeaks();
        }
    }

    @Test
    void assertNoLeaksNamesWhereALeakedPacketWasAllocated() {
        try (StageHarness h = new StageHarness()) {
            h.packet(new byte[] {1}); // never released
            AssertionError e = assertThrows(AssertionError.class, h::assertNoLeaks);
            assertTrue(e.getMessage().contains("1 packet allocated and never released"), e.getMessage());
            assertTrue(e.getMessage().contains("assertNoLeaksNamesWhereALeakedPacketWasAllocated"), e.getMessage());
        }
    }

    @Test
    void packetsHeldBySinksAreReportedAsSuch() {
        try (StageHarness h = new StageHarness()) {
            h.submit(Direction.OUTGOING, new byte[] {1});
            AssertionError e = assertThrows(AssertionError.class, h::assertNoLeaks);
            assertTrue(e.getMessage().contains("still held by the capture sinks"), e.getMessage());
            h.outgoing().clear();
            h.assertNoLeaks();
        }
    }
}
