package org.tunnelbus.api.pipeline;

/**
 * What the bus knows of one slot of a chain, for status pages, logs and tests.
 *
 * @param name      the slot ({@code tunnelbus.stage.name})
 * @param box       the box the stage belongs to
 * @param order     its position in the chain
 * @param serviceId the {@code service.id} of the stage service filling the slot, or -1 for a slot that is
 *                  required but has no provider
 * @param bundle    the symbolic name and version of the bundle that provides it, or "" if none
 */
public record StageInfo(String name, Box box, int order, long serviceId, String bundle) {
    /** True when the slot is required but currently has no provider. */
    public boolean isMissing() {
        return serviceId < 0;
    }
}
