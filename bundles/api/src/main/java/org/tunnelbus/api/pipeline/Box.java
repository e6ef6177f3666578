package org.tunnelbus.api.pipeline;

/**
 * The boxes of the design picture that sit on the data path, with the default position of their
 * stages in each chain. A stage's {@link PipelineStage#order()} defaults to its box's order, so modules
 * rarely set it; stages of one box may use the band {@code order .. order + 99} to sort among themselves.
 *
 * <pre>
 *   OUTGOING (device → remote)              INCOMING (remote → device)
 *   MANGLE 100 → ROUTE 200 → COMPRESS 300    ENCAP 100 → CRYPTO 200 → COMPRESS 300
 *   → CRYPTO 400 → ENCAP 500 → transport     → MANGLE 400 → ROUTE 500 → device / other session
 * </pre>
 *
 * <p>Routing comes before compression and encryption on the way out because those depend on the session
 * the packet is routed to; on the way in it comes last because it decides between the local device and
 * another remote (client-to-client, mesh).
 */
public enum Box {
    ENCAP(500, 100),
    CRYPTO(400, 200),
    COMPRESS(300, 300),
    MANGLE(100, 400),
    ROUTE(200, 500),
    /** Stages outside the boxes above (taps, test stages); placed explicitly by {@code order}. */
    OTHER(600, 600);

    private final int outgoingOrder;
    private final int incomingOrder;

    Box(int outgoingOrder, int incomingOrder) {
        this.outgoingOrder = outgoingOrder;
        this.incomingOrder = incomingOrder;
    }

    /** Default position of this box's stages in the chain of {@code direction}. */
    public int order(Direction direction) {
        return direction == Direction.OUTGOING ? outgoingOrder : incomingOrder;
    }

    /** Parses a property value; case-insensitive. */
    public static Box of(String value) {
        for (Box b : values()) {
            if (b.name().equalsIgnoreCase(value.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown box '" + value + "'");
    }
}
