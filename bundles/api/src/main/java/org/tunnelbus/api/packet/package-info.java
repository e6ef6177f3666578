/**
 * Packets: pooled direct buffers with headroom, batches of them, and the allocator that hands them out.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.tunnelbus.api.packet;
