package org.egovpki.server.http;

import java.util.List;

/**
 * The operator API's resources for handler tests: every area answers from no services (an empty certificate
 * lookup, {@code null} elsewhere) unless the test puts in the resource it exercises. One place builds
 * {@link ApiResources}, so a new API area changes this class, not every test.
 */
final class TestApiResources {

    final CertificateFinder noCertificates = new CertificateFinder(query -> List.of());
    final SubscriberChannels noChannels = new SubscriberChannels(null, null, null);
    RequestResource requests = new RequestResource(null, null);
    CertificateResource certificates = new CertificateResource(
            new org.egovpki.core.certificate.VisibleCertificates(query -> List.of()), new CertificateFiles(null));
    CaResource cas = new CaResource(null, null, null, null);
    RevocationResource revocations = new RevocationResource(null, noCertificates, noChannels);
    LifecycleResource lifecycle = new LifecycleResource(null, noCertificates, requests);
    KmResource km = new KmResource(null, null, noChannels);
    ProfileResource profiles = new ProfileResource(null);
    SyncResource sync = new SyncResource(null);
    SyncEventsResource syncEvents = new SyncEventsResource(null);
    AuditResource audit = new AuditResource(null);
    OperatorResource operators = new OperatorResource(null);
    StatisticsResource statistics = new StatisticsResource(null);
    LoginResource login = new LoginResource(null);

    ApiResources build() {
        return new ApiResources(new OpenApiResource(), requests, certificates, cas, revocations, lifecycle, km, profiles,
                sync, syncEvents, audit, operators, statistics, login);
    }
}
