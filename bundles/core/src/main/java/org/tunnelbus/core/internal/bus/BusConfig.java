package org.tunnelbus.core.internal.bus;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The bus's configuration as the web console shows it. The component reads the raw dictionary and
 * validates it with {@link BusConfigValidator}; this type describes the form (metatype).
 */
@ObjectClassDefinition(id = BusConfig.PID, name = "Tunnelbus packet bus",
        description = "Which stages form the chains, what happens while a stage is swapped or missing, and the "
                + "packet buffer pool.")
public @interface BusConfig {
    String PID = "org.tunnelbus.core.bus";

    @AttributeDefinition(name = "Stage filter", required = false,
            description = "LDAP filter that a stage service's properties must match to serve in a chain, e.g. "
                    + "(!(tunnelbus.stage.name=mss-clamp)). Empty: every stage.")
    String stage_filter() default "";

    @AttributeDefinition(name = "Required stages", required = false,
            description = "Slots without which packets must not pass: outgoing:NAME, incoming:NAME, or NAME for both. "
                    + "When such a slot has had no provider for the grace period, packets that reach it are dropped "
                    + "(counted as no-provider) instead of skipping it.")
    String[] required_stages() default {};

    @AttributeDefinition(name = "Hold grace (ms)", min = "0", max = "600000",
            description = "How long a slot whose provider went away (bundle update, restart) holds its packets, "
                    + "waiting for a substitute. 0: no hold.")
    long hold_grace_ms() default 1500;

    @AttributeDefinition(name = "Hold queue bound", min = "0", max = "16777216",
            description = "Packets one slot may hold; beyond it packets are dropped as hold-overflow.")
    int hold_max_packets() default 65536;

    @AttributeDefinition(name = "Pool packets", min = "16", max = "4194304",
            description = "Packets in the buffer pool. An empty pool is back-pressure: devices and transports read later.")
    int pool_packets() default 16384;

    @AttributeDefinition(name = "Packet buffer size", min = "256", max = "262144",
            description = "Data bytes per packet behind the headroom.")
    int pool_buffer_size() default 2048;

    @AttributeDefinition(name = "Packet headroom", min = "0", max = "4096",
            description = "Minimum free bytes in front of each packet for headers; raised automatically to the sum "
                    + "the stages declare.")
    int pool_headroom() default 128;

    @AttributeDefinition(name = "Leak check",
            description = "Record where every packet was allocated so leaks can be reported (slow; for tests). "
                    + "Also on with -Dtunnelbus.leakcheck=true.")
    boolean leak_check() default false;
}
