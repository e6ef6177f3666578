package org.tunnelbus.api.packet;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes released packets back into a pool.
 *
 * <p>Implemented by the allocator (the core's buffer pool); called by {@link Packet#release()} only.
 */
@ProviderType
public interface Recycler {
    void recycle(Packet packet);
}
