package org.egovpki.server.http;

import java.util.Objects;

/** The resource classes of the operator API, one per area; {@link ApiRoutes} maps calls onto their methods. */
record ApiResources(OpenApiResource openApi, RequestResource requests, CertificateResource certificates,
                    CaResource cas, RevocationResource revocations, LifecycleResource lifecycle, KmResource km,
                    ProfileResource profiles, SyncResource sync, SyncEventsResource syncEvents,
                    AuditResource audit, OperatorResource operators,
                    StatisticsResource statistics, LoginResource login) {

    ApiResources {
        Objects.requireNonNull(openApi, "openApi");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(cas, "cas");
        Objects.requireNonNull(revocations, "revocations");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(km, "km");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(syncEvents, "syncEvents");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(operators, "operators");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(login, "login");
    }
}
