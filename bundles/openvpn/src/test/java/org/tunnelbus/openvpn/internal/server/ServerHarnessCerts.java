package org.tunnelbus.openvpn.internal.server;

import org.tunnelbus.openvpn.internal.config.Pem;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;

/** The harness's client certificate as a chain, as TLS hands it to the Authenticators. */
final class ServerHarnessCerts {
    private ServerHarnessCerts() {
    }

    static List<X509Certificate> clientChain(ServerHarness server) throws Exception {
        return Pem.certificates(Files.readString(server.clientCert));
    }
}
