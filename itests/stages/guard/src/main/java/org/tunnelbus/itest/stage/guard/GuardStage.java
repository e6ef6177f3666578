package org.tunnelbus.itest.stage.guard;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Component;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;

/**
 * Slot {@code itest-guard}, OUTGOING only, with no substitute anywhere: the test lists it in the bus's
 * {@code required.stages} and stops this bundle. Stamps 'G' into byte {@value #STAMP_AT} and the trail.
 */
@Component(service = Stage.class)
@PipelineStage(name = "itest-guard", box = "OTHER", order = 630, direction = "outgoing")
public final class GuardStage implements Stage {
    static final int STAMP_AT = 14;
    static final int TRAIL_LENGTH_AT = 15;
    static final int TRAIL_AT = 16;
    static final int MIN_LENGTH = 32;
    private static final byte ID = 'G';
    private static final Verdict SHORT = Verdict.drop("itest-short");

    @Override
    public Verdict process(Packet packet) {
        if (packet.length() < MIN_LENGTH) {
            return SHORT;
        }
        ByteBuffer b = packet.data(); // limit = end of the data: the absolute puts below stay inside it
        int off = packet.offset();
        b.put(off + STAMP_AT, ID);
        int n = b.get(off + TRAIL_LENGTH_AT);
        if (n >= 0 && TRAIL_AT + n < MIN_LENGTH) {
            b.put(off + TRAIL_AT + n, ID);
            b.put(off + TRAIL_LENGTH_AT, (byte) (n + 1));
        }
        return Verdict.PASS;
    }
}
