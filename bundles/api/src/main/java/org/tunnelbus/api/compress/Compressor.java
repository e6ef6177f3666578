package org.tunnelbus.api.compress;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A compression algorithm (the compression box). Framing (the OpenVPN indicator bytes) belongs to the
 * protocol's compression stage; this is only the algorithm.
 *
 * <p><b>Implemented by</b> compression modules ({@code compress-lz4}, {@code compress-lzo}), registered with
 * property {@value #ALGORITHM}. <b>Called by</b> the compression stage, concurrently from several threads.
 */
@ConsumerType
public interface Compressor {
    /** Service property: the algorithm, e.g. {@code lz4} or {@code lzo}. */
    String ALGORITHM = "tunnelbus.compress.algorithm";

    /**
     * Compresses {@code src[srcOffset, +length)} into {@code dst} at {@code dstOffset}.
     *
     * @return the compressed length, or -1 if it would not be smaller than {@code maxLength}
     */
    int compress(ByteBuffer src, int srcOffset, int length, ByteBuffer dst, int dstOffset, int maxLength);

    /**
     * Decompresses into {@code dst}.
     *
     * @return the decompressed length, or -1 if the input is malformed or larger than {@code maxLength}
     */
    int decompress(ByteBuffer src, int srcOffset, int length, ByteBuffer dst, int dstOffset, int maxLength);
}
