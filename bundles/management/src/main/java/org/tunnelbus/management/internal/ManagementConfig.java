package org.tunnelbus.management.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ManagementConfig.PID, name = "Tunnelbus management socket",
        description = "A UNIX socket (mode 0600) answering one-line commands: status, chain, counters, help.")
public @interface ManagementConfig {
    String PID = "org.tunnelbus.management";

    @AttributeDefinition(name = "Socket path",
            description = "Path of the UNIX socket. Empty: HOME/run/management.sock, where HOME is the instance's home "
                    + "(framework property tunnelbus.home).")
    String socket() default "";
}
