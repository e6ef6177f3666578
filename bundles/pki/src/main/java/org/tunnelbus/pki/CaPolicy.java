package org.tunnelbus.pki;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link CertificateAuthority} makes what it makes.
 *
 * @param caName       common name of the CA certificate (used only when the CA is created)
 * @param caValidity   lifetime of a new CA certificate
 * @param certValidity lifetime of a new server or client certificate
 * @param crlValidity  time from a CRL's thisUpdate to its nextUpdate; stock OpenVPN (OpenSSL) refuses every
 *                     client once the CRL it checks has passed nextUpdate, so the CA re-signs its CRL at
 *                     {@link CertificateAuthority#ensureCa()} when half of this has passed
 * @param clock        the time source (tests move it)
 */
public record CaPolicy(String caName, Duration caValidity, Duration certValidity, Duration crlValidity, Clock clock) {
    /** CA 10 years, certificates 825 days (as easy-rsa), CRL 180 days, system clock. */
    public static CaPolicy defaults() {
        return new CaPolicy("Tunnelbus CA", Duration.ofDays(3650), Duration.ofDays(825), Duration.ofDays(180),
                Clock.systemUTC());
    }

    public CaPolicy {
        if (caName == null || caName.isBlank()) {
            throw new IllegalArgumentException("CA name is empty");
        }
        positive("CA validity", caValidity);
        positive("certificate validity", certValidity);
        positive("CRL validity", crlValidity);
        if (clock == null) {
            throw new IllegalArgumentException("clock is null");
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }

    public CaPolicy withCertValidity(Duration validity) {
        return new CaPolicy(caName, caValidity, validity, crlValidity, clock);
    }

    public CaPolicy withClock(Clock c) {
        return new CaPolicy(caName, caValidity, certValidity, crlValidity, c);
    }
}
