package org.tunnelbus.itest.stage.swap.a;

import java.nio.ByteBuffer;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;

/**
 * Provider A of slot {@code itest-swap}: stamps 'A' into byte {@value #STAMP_AT} of the payload and appends it
 * to the trail (byte 15 = trail length, bytes 16.. = the ids of the stages that ran, in order).
 *
 * <p>Its ranking is configuration: PID {@value #PID}, property {@code service.ranking} (an Integer). A
 * {@code @Modified} method makes a ranking change update the service properties in place, so the bus sees
 * both providers all the time and swaps by ranking alone.
 */
@Component(service = Stage.class, configurationPid = SwapStageA.PID, property = Constants.SERVICE_RANKING + ":Integer=10")
@PipelineStage(name = "itest-swap", box = "OTHER", order = 610)
public final class SwapStageA implements Stage {
    public static final String PID = "org.tunnelbus.itest.swap.a";
    static final int STAMP_AT = 12;
    static final int TRAIL_LENGTH_AT = 15;
    static final int TRAIL_AT = 16;
    static final int MIN_LENGTH = 32;
    private static final byte ID = 'A';
    private static final Verdict SHORT = Verdict.drop("itest-short");

    @Modified
    void modified() {
        // nothing to apply: the ranking lives in the service properties
    }

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
