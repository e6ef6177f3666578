package org.tunnelbus.api.tls;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates TLS engines (the SSL box's factory).
 *
 * <p><b>Implemented by</b> SSL modules ({@code tls-bouncycastle}, {@code tls-jsse}), registered with
 * property {@value #PROVIDER}. <b>Called by</b> the protocol module for each new key state (every
 * renegotiation is a new TLS handshake). Which factory serves new sessions is chosen by configuration
 * (a target filter on {@value #PROVIDER}); sessions keep the engine they started with.
 */
@ConsumerType
public interface TlsEngineFactory {
    /** Service property: the provider's short name, e.g. {@code bouncycastle} or {@code jsse}. */
    String PROVIDER = "tunnelbus.tls.provider";

    TlsEngine create(TlsSpec spec, TlsEngineListener parent);

    /** True if engines from this factory implement {@link TlsEngine#exportKeyingMaterial}. */
    boolean supportsExporter();
}
