package org.tunnelbus.auth.userpass.internal;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;

/**
 * Username/password authentication ({@code tunnelbus.auth.scheme=userpass}, PID {@value UserPassConfig#PID}):
 * the username and password of key method 2 (stock {@code auth-user-pass}) against the users file. See
 * {@link PasswordVerifier} for the checks.
 *
 * <p>Runs only while its configuration exists ({@link ConfigurationPolicy#REQUIRE}): every running
 * Authenticator must accept a client, so a default-on module would lock out every certificate-only client.
 *
 * <p>A changed configuration applies to the next authentication; an invalid one is refused with one line
 * naming the PID and the property, and the previous one stays in force. Refusals are logged at DEBUG only:
 * the control session logs each refusal once, with this reason. Passwords are never logged; the caller owns
 * (and wipes) the password array, which every Authenticator of the chain reads, and copies made here for
 * hashing are wiped after use.
 */
@Component(service = Authenticator.class, configurationPid = UserPassConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Authenticator.SCHEME + "=userpass")
@Designate(ocd = UserPassConfig.class)
public final class UserPassAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(UserPassAuthenticator.class);

    private final String home;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile PasswordVerifier verifier;
    private volatile String unconfigured = "no configuration yet";

    @Activate
    public UserPassAuthenticator(BundleContext context, UserPassConfig config, Map<String, Object> properties) {
        this(context.getProperty("tunnelbus.home"), config, properties, Clock.systemUTC());
    }

    UserPassAuthenticator(String home, UserPassConfig config, Map<String, Object> properties, Clock clock) {
        this.home = home;
        this.clock = clock;
        apply(config, properties);
    }

    @Modified
    void modified(UserPassConfig config, Map<String, Object> properties) {
        apply(config, properties);
    }

    private void apply(UserPassConfig config, Map<String, Object> properties) {
        UserPassSettings s;
        try {
            s = UserPassSettings.from(config, home);
        } catch (ConfigException e) {
            PasswordVerifier previous = verifier;
            LOG.error("Refused configuration {}{}: {}; {}", UserPassConfig.PID, source(properties), e.getMessage(),
                    previous == null ? "refusing every client until it is fixed"
                            : "keeping the previous one (" + previous.settings() + ")");
            if (previous == null) {
                unconfigured = e.getMessage();
            }
            return;
        }
        PasswordVerifier previous = verifier;
        UserStore store = previous != null && previous.settings().usersFile().equals(s.usersFile())
                ? previous.store() : new UserStore(s.usersFile());
        verifier = new PasswordVerifier(s, store, s.throttle(clock), random);
        LOG.info("Username/password authentication: {}", s);
        store.current(); // read (and report a problem) now rather than at the first client
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file == null ? "" : " (" + file + ")";
    }

    @Override
    public AuthResult authenticate(Credentials credentials) {
        PasswordVerifier v = verifier;
        char[] password = credentials.password() == null ? new char[0] : credentials.password();
        AuthResult result;
        try {
            if (v == null) {
                result = AuthResult.refuse("username/password authentication is not configured (" + UserPassConfig.PID
                        + ": " + unconfigured + ")");
            } else {
                result = v.verify(credentials.username() == null ? "" : credentials.username(), password,
                        credentials.remote(), credentials.authToken());
            }
        } catch (RuntimeException e) {
            result = AuthResult.refuse("password check failed: " + e.getClass().getSimpleName());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("User {} from {}: {}", LogSafe.name(String.valueOf(credentials.username())),
                    format(credentials.remote()), result.accepted() ? "accepted" : result.reason());
        }
        return result;
    }

    private static String format(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? String.valueOf(a) : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
