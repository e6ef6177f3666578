package org.tunnelbus.itests.traffic;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a {@link CaptureSink} saw of one flow: which sequence numbers arrived (a bit set, so duplicates and
 * losses are exact), whether they arrived in order, and for each stamp slot and for the trail the run-length
 * sequence of values in arrival order ("A" x 400000, "B" x 300000, "A" x 300000 for a swap there and back).
 * Thread-safe: the bus may deliver one flow from a producer thread and, while draining a hold, from another.
 */
public final class FlowLog {
    /** Bound of the run lists: a flow whose stamp flips more often than this is wrong anyway. */
    static final int MAX_RUNS = 64;

    /** One run of equal values. */
    public record Run(String value, long count, long firstSeq) {
        @Override
        public String toString() {
            return value + " x" + count + " (from #" + firstSeq + ")";
        }
    }

    private final int flow;
    private final BitSet seen = new BitSet();
    private long distinct;
    private long duplicates;
    private long outOfOrder;
    private long highest = -1;
    private long badSequence;
    private final byte[] lastStamp = new byte[Payload.SLOTS];
    @SuppressWarnings("unchecked")
    private final List<Run>[] stampRuns = new List[Payload.SLOTS];
    private final long[] stampRunCount = new long[Payload.SLOTS];
    private final long[] stampRunFirst = new long[Payload.SLOTS];
    private final boolean[] stampStarted = new boolean[Payload.SLOTS];
    private long lastTrail = -1;
    private long trailRunCount;
    private long trailRunFirst;
    private final List<Run> trailRuns = new ArrayList<>();
    private boolean truncated;

    FlowLog(int flow) {
        this.flow = flow;
        for (int i = 0; i < Payload.SLOTS; i++) {
            stampRuns[i] = new ArrayList<>();
        }
    }

    public int flow() {
        return flow;
    }

    synchronized void record(long seq, byte swap, byte upgrade, byte guard, long trail) {
        if (seq < 0 || seq >= Integer.MAX_VALUE) {
            badSequence++;
            return;
        }
        int s = (int) seq;
        if (seen.get(s)) {
            duplicates++;
            return;
        }
        seen.set(s);
        distinct++;
        if (seq < highest) {
            outOfOrder++;
        } else {
            highest = seq;
        }
        stamp(0, swap, seq);
        stamp(1, upgrade, seq);
        stamp(2, guard, seq);
        if (trail != lastTrail) {
            closeTrailRun();
            lastTrail = trail;
            trailRunFirst = seq;
        }
        trailRunCount++;
    }

    private void stamp(int slot, byte value, long seq) {
        if (!stampStarted[slot] || value != lastStamp[slot]) {
            closeStampRun(slot);
            stampStarted[slot] = true;
            lastStamp[slot] = value;
            stampRunFirst[slot] = seq;
        }
        stampRunCount[slot]++;
    }

    private void closeStampRun(int slot) {
        if (stampRunCount[slot] > 0) {
            if (stampRuns[slot].size() < MAX_RUNS) {
                stampRuns[slot].add(new Run(stampText(lastStamp[slot]), stampRunCount[slot], stampRunFirst[slot]));
            } else {
                truncated = true;
            }
        }
        stampRunCount[slot] = 0;
    }

    private void closeTrailRun() {
        if (trailRunCount > 0) {
            if (trailRuns.size() < MAX_RUNS) {
                trailRuns.add(new Run(Payload.trail(lastTrail), trailRunCount, trailRunFirst));
            } else {
                truncated = true;
            }
        }
        trailRunCount = 0;
    }

    private static String stampText(byte b) {
        return b == 0 ? "-" : String.valueOf((char) b);
    }

    public synchronized long distinct() {
        return distinct;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long outOfOrder() {
        return outOfOrder;
    }

    public synchronized long badSequence() {
        return badSequence;
    }

    /** Sequence numbers in {@code [0, pushed)} that never arrived. */
    public synchronized long missing(long pushed) {
        return pushed - seen.get(0, (int) pushed).cardinality();
    }

    /** Number of separate gaps (runs of missing sequence numbers) in {@code [0, pushed)}. */
    public synchronized int gaps(long pushed) {
        int runs = 0;
        int i = seen.nextClearBit(0);
        while (i < pushed) {
            runs++;
            int next = seen.nextSetBit(i);
            if (next < 0 || next >= pushed) {
                break;
            }
            i = seen.nextClearBit(next);
        }
        return runs;
    }

    /** The first missing sequence numbers as ranges, for messages. */
    public synchronized String gapText(long pushed, int max) {
        StringBuilder sb = new StringBuilder();
        int i = seen.nextClearBit(0);
        int n = 0;
        while (i < pushed && n < max) {
            int next = seen.nextSetBit(i);
            int end = next < 0 || next > pushed ? (int) pushed : next;
            sb.append(n == 0 ? "" : ", ").append(i).append("..").append(end - 1);
            n++;
            if (next < 0) {
                break;
            }
            i = seen.nextClearBit(next);
        }
        return sb.toString();
    }

    /** Sequence numbers that arrived at or after {@code seq}. */
    public synchronized long arrivedFrom(long seq) {
        return seen.get((int) Math.min(seq, Integer.MAX_VALUE - 1), Math.max((int) highest + 1, (int) seq)).cardinality();
    }

    /** The runs of a stamp slot, in arrival order, the current one included. */
    public synchronized List<Run> stampRuns(int slot) {
        List<Run> out = new ArrayList<>(stampRuns[slot]);
        if (stampRunCount[slot] > 0) {
            out.add(new Run(stampText(lastStamp[slot]), stampRunCount[slot], stampRunFirst[slot]));
        }
        return out;
    }

    /** The run values of a stamp slot joined: "ABA". */
    public String stampPattern(int slot) {
        StringBuilder sb = new StringBuilder();
        for (Run r : stampRuns(slot)) {
            sb.append(r.value());
        }
        return sb.toString();
    }

    /** Packets of this flow whose stamp in {@code slot} is {@code value}. */
    public long stamped(int slot, char value) {
        long n = 0;
        for (Run r : stampRuns(slot)) {
            if (r.value().equals(String.valueOf(value))) {
                n += r.count();
            }
        }
        return n;
    }

    /** The trails seen, as runs in arrival order. */
    public synchronized List<Run> trailRuns() {
        List<Run> out = new ArrayList<>(trailRuns);
        if (trailRunCount > 0) {
            out.add(new Run(Payload.trail(lastTrail), trailRunCount, trailRunFirst));
        }
        return out;
    }

    public synchronized boolean truncated() {
        return truncated;
    }

    @Override
    public String toString() {
        return "flow " + flow + ": " + distinct() + " distinct, " + duplicates() + " duplicates, " + outOfOrder()
                + " out of order, swap " + stampRuns(0) + ", upgrade " + stampRuns(1) + ", guard " + stampRuns(2);
    }
}
