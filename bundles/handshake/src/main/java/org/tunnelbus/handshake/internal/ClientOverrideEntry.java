package org.tunnelbus.handshake.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One factory configuration of {@link ClientOverrideConfig#PID} (a file {@code org.tunnelbus.handshake.client-NAME.cfg}),
 * offered to the {@link PushHandshake} as a service of this bundle. An edit replaces the instance (no
 * {@code @Modified}), so the handshake sees an unbind and a bind: the next connect uses the new values, and
 * connected clients are brought up to date ({@link PushHandshake#update}).
 * An invalid configuration is logged once, naming file and property, and offers nothing: that client gets the
 * defaults.
 */
@Component(service = ClientOverrideEntry.class, configurationPid = ClientOverrideConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ClientOverrideConfig.class, factory = true)
public final class ClientOverrideEntry {
    private static final Logger LOG = LoggerFactory.getLogger(ClientOverrideEntry.class);

    private final ClientOverride override;

    @Activate
    public ClientOverrideEntry(ClientOverrideConfig config, Map<String, Object> properties) {
        ClientOverride o;
        try {
            o = ClientOverride.from(config);
        } catch (IllegalArgumentException e) {
            Object file = properties.get("felix.fileinstall.filename");
            LOG.error("Refused configuration {}{}: {}; that client gets the defaults", properties.get("service.pid"),
                    file == null ? "" : " (" + file + ")", e.getMessage());
            o = null;
        }
        this.override = o;
    }

    /** The validated overrides, or null when the configuration was refused. */
    ClientOverride override() {
        return override;
    }
}
