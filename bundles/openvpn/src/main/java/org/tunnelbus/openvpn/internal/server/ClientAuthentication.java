package org.tunnelbus.openvpn.internal.server;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.tunnelbus.api.auth.AuthResult;
import org.tunnelbus.api.auth.Authenticator;
import org.tunnelbus.api.auth.Credentials;
import org.tunnelbus.openvpn.internal.link.NamedServices;

/**
 * A listener's authentication of key-method-2 credentials: every running {@link Authenticator} must accept (the
 * {@code cert} scheme only when {@code verify.client.cert} lets it see a certificate), the schemes of
 * {@code auth.required} must be running, and a client without a certificate needs another scheme's acceptance.
 * Runs on an {@link AuthenticationWorker}, off the control thread.
 */
final class ClientAuthentication {
    private final NamedServices<Authenticator> authenticators = new NamedServices<>(Authenticator.SCHEME);
    private final AuthenticationWorker worker;

    ClientAuthentication(String name) {
        this.worker = new AuthenticationWorker(name);
    }

    void bind(Authenticator authenticator, Map<String, ?> properties) {
        authenticators.bind(authenticator, properties);
    }

    void unbind(Authenticator authenticator) {
        authenticators.unbind(authenticator);
    }

    /** Checks off the control thread; the verdict goes to {@code then} through {@code back} (the control thread). */
    void submit(Credentials credentials, ServerSettings settings, Consumer<AuthResult> then, Consumer<Runnable> back) {
        worker.submit(() -> check(credentials, settings), then, back);
    }

    /** Every authenticator, in turn, on the calling thread. */
    AuthResult check(Credentials credentials, ServerSettings settings) {
        Set<String> present = new HashSet<>();
        authenticators.forEach((name, a) -> present.add(name));
        for (String required : settings == null ? Set.<String>of() : settings.requiredSchemes()) {
            if (!present.contains(required)) {
                return AuthResult.refuse("authentication scheme '" + required + "' is required (auth.required) but no "
                        + "such Authenticator is running");
            }
        }
        ClientCertPolicy policy = settings == null ? ClientCertPolicy.REQUIRE : settings.clientCert();
        Verdicts verdicts = new Verdicts(credentials, policy);
        authenticators.forEach(verdicts::ask);
        return verdicts.result();
    }

    void shutdown() {
        worker.shutdown();
    }

    /** The running tally of one check: the first refusal wins; the first named identity is kept. */
    private static final class Verdicts {
        private final Credentials credentials;
        private final ClientCertPolicy policy;
        private final boolean chainPresent;
        private AuthResult refusal;
        private boolean otherAccepted;
        private String identity = "";

        Verdicts(Credentials credentials, ClientCertPolicy policy) {
            this.credentials = credentials;
            this.policy = policy;
            this.chainPresent = !credentials.chain().isEmpty();
        }

        void ask(String scheme, Authenticator authenticator) {
            if (refusal != null || !policy.consults(scheme, chainPresent)) {
                return;
            }
            AuthResult r;
            try {
                r = authenticator.authenticate(credentials);
            } catch (RuntimeException e) {
                refusal = AuthResult.refuse(scheme + " authenticator failed: " + e);
                return;
            }
            if (r == null || !r.accepted()) {
                refusal = AuthResult.refuse(scheme + ": " + (r == null ? "no answer" : r.reason()));
                return;
            }
            otherAccepted |= !ClientCertPolicy.CERT_SCHEME.equals(scheme);
            if (identity.isEmpty() && r.identity() != null) {
                identity = r.identity();
            }
        }

        AuthResult result() {
            if (refusal != null) {
                return refusal;
            }
            if (!chainPresent && !otherAccepted) {
                // stock refuses to start with verify-client-cert none|optional and no other authentication
                return AuthResult.refuse("no client certificate, and no other authenticator (e.g. auth-userpass) "
                        + "accepted the client (verify.client.cert=" + policy.optionValue() + ")");
            }
            return AuthResult.accept(identity);
        }
    }
}
