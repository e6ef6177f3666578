package org.tunnelbus.itest.stage.upgrade;

import java.nio.ByteBuffer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tunnelbus.api.packet.Packet;
import org.tunnelbus.api.pipeline.PipelineStage;
import org.tunnelbus.api.pipeline.Stage;
import org.tunnelbus.api.pipeline.Verdict;

/**
 * Slot {@code itest-upgrade}: stamps '0' + the major version of its bundle into byte {@value #STAMP_AT} of the
 * payload and appends it to the trail. Built twice from this source, as version 1.0.0 and 2.0.0 of one bundle,
 * so a {@code Bundle.update} shows in the packets which version processed them.
 */
@Component(service = Stage.class)
@PipelineStage(name = "itest-upgrade", box = "OTHER", order = 620)
public final class UpgradeStage implements Stage {
    static final int STAMP_AT = 13;
    static final int TRAIL_LENGTH_AT = 15;
    static final int TRAIL_AT = 16;
    static final int MIN_LENGTH = 32;
    private static final Verdict SHORT = Verdict.drop("itest-short");

    private final byte id;

    @Activate
    public UpgradeStage(BundleContext context) {
        id = (byte) ('0' + context.getBundle().getVersion().getMajor());
    }

    @Override
    public Verdict process(Packet packet) {
        if (packet.length() < MIN_LENGTH) {
            return SHORT;
        }
        ByteBuffer b = packet.data(); // limit = end of the data: the absolute puts below stay inside it
        int off = packet.offset();
        b.put(off + STAMP_AT, id);
        int n = b.get(off + TRAIL_LENGTH_AT);
        if (n >= 0 && TRAIL_AT + n < MIN_LENGTH) {
            b.put(off + TRAIL_AT + n, id);
            b.put(off + TRAIL_LENGTH_AT, (byte) (n + 1));
        }
        return Verdict.PASS;
    }
}
