package org.egovpki.core.sync;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An e-government system that receives the CA's certificate and CRL events
 * ({@code cn=<id>,ou=sync}). Its secrets (an HTTP Basic password, a TLS client key) are not part
 * of this value: they are written once through {@link SyncCredentials} and never read back.
 *
 * @param id             the target's name, {@link #ID}
 * @param url            where messages are POSTed (http or https)
 * @param binding        JSON (default) or SOAP
 * @param businessTypes  the certificate business types it receives; empty: all. CRL events go to every target
 * @param caIdentifier   the identifier the target knows this CA by, carried in every message
 * @param authentication how the CA authenticates to it
 * @param enabled        whether events are enqueued and delivered for it
 * @param schedule       {@link #REALTIME}, or a Quartz cron expression for batches
 *                       (seconds minutes hours day-of-month month day-of-week, e.g. {@code 0 0 2 * * ?})
 * @param personalData   whether the target is authorised to receive ID numbers whole; masked otherwise
 */
public record SyncTarget(String id, URI url, SyncBinding binding, Set<String> businessTypes, String caIdentifier,
                         Authentication authentication, boolean enabled, String schedule, boolean personalData) {

    /** A target name: what may follow {@code cn=} without escaping and appear in a URL path. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The schedule of a target that receives every event as it happens. */
    public static final String REALTIME = "realtime";

    public SyncTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(binding, "binding");
        businessTypes = Set.copyOf(businessTypes);
        Objects.requireNonNull(caIdentifier, "caIdentifier");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(schedule, "schedule");
    }

    public boolean realtime() {
        return REALTIME.equals(schedule);
    }

    /** Whether a certificate event of this business type is routed to the target. */
    public boolean receives(String businessType) {
        return businessTypes.isEmpty() || (businessType != null && businessTypes.contains(businessType));
    }

    /** How the CA proves who it is to the target (the secrets are in {@link SyncCredentials}). */
    public record Authentication(Kind kind, String username) {

        public static final Authentication NONE = new Authentication(Kind.NONE, null);

        public enum Kind {
            /** Nothing beyond the message signature. */
            NONE,
            /** HTTP Basic with {@code username} and a password from {@link SyncCredentials}. */
            BASIC,
            /** A TLS client certificate whose PKCS#12 is in {@link SyncCredentials}. */
            CLIENT_CERTIFICATE
        }

        public Authentication {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.BASIC) != (username != null)) {
                throw new IllegalArgumentException("a username goes with BASIC authentication, and only with it");
            }
        }
    }
}
