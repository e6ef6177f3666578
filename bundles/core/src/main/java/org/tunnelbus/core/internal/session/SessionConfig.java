package org.tunnelbus.core.internal.session;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the session registry (metatype form; validated by {@link SessionRegistryImpl}). */
@ObjectClassDefinition(id = SessionConfig.PID, name = "Tunnelbus sessions",
        description = "Limits of the session registry.")
public @interface SessionConfig {
    String PID = "org.tunnelbus.core.sessions";

    @AttributeDefinition(name = "Maximum sessions", min = "1", max = "16777215",
            description = "Peer-ids are 0 .. max.sessions-1 (P_DATA_V2 carries 24 bits; 0xFFFFFF means none). "
                    + "A peer beyond the limit is refused.")
    int max_sessions() default 4096;
}
