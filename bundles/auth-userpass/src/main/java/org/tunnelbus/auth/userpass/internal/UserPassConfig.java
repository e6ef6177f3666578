package org.tunnelbus.auth.userpass.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = UserPassConfig.PID, name = "Tunnelbus username/password authentication",
        description = "Checks the username and password a client sends (OpenVPN auth-user-pass) against a users file "
                + "of argon2id or bcrypt hashes, kept with 'tunnelbus user add|passwd|del'. The file is re-read when it "
                + "changes. Active only while this configuration exists; then every client must also pass it. Whether "
                + "a client certificate is still required is the listener's verify.client.cert.")
public @interface UserPassConfig {
    String PID = "org.tunnelbus.auth.userpass";

    @AttributeDefinition(name = "Users file", required = false, description = "Path of the users file (lines "
            + "NAME:HASH, # comments). Empty: HOME/users (the tunnelbus.home framework property).")
    String users_file() default "";

    @AttributeDefinition(name = "Failures before throttling", description = "Failed logins from one address within "
            + "the window that make its logins refused without checking for the block time. 0: no throttling.",
            min = "0")
    int throttle_failures() default 5;

    @AttributeDefinition(name = "Throttling window", description = "Seconds in which the failures are counted.",
            min = "1")
    int throttle_window_sec() default 60;

    @AttributeDefinition(name = "Block time", description = "Seconds an address is refused without checking once "
            + "it reached the failure count.", min = "1")
    int throttle_block_sec() default 60;
}
