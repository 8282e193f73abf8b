package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.certificate.PublishedCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4387 store's lookups by name, email and subject hash draw on the lookups' per-client-address
 * bucket, as the {@code /lookup} page does: beyond it 429 with Retry-After, and the directory is not
 * asked. Lookups that need a certificate already (issuer or key identifier hash) are not limited.
 */
class PublicHandlerRateLimitTest {

    private static final String HASH = "AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D";

    private final TokenBucketsTest.MovingClock clock = new TokenBucketsTest.MovingClock();
    private final List<String> asked = new ArrayList<>();
    private Server http;
    private LocalConnector connector;

    @BeforeEach
    void start() throws Exception {
        PublishedCertificates published = (key, value, limit) -> {
            asked.add(key.attribute());
            return new PublishedCertificates.Found(List.of(), false);
        };
        // Two lookups at once, one more every 6 seconds.
        PublicHandler handler = new PublicHandler(new CaRegistry(List.of()), null, published, null, null,
                "ldap://127.0.0.1:10389", clock, null, List::of, new ObjectMapper(),
                TokenBuckets.lookups(clock, 10, 2));
        http = new Server();
        connector = new LocalConnector(http);
        http.addConnector(connector);
        http.setHandler(handler);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    @Test
    void lookupsByNameEmailAndSubjectHashShareTheBucketAndBeyondItAre429WithRetryAfter() throws Exception {
        assertThat(get("/certs?name=zhang+san").getStatus()).isEqualTo(404);
        assertThat(get("/search.cgi?email=a%40b.cn").getStatus()).isEqualTo(404);

        HttpTester.Response limited = get("/certs?sHash=" + HASH);

        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.get("Retry-After")).isEqualTo("6");
        assertThat(limited.getContent()).contains("RATE_LIMITED").contains("sHash");
        assertThat(asked).as("the directory was not asked beyond the limit").containsExactly("name", "email");

        clock.advance(Duration.ofSeconds(6));
        assertThat(get("/certs?name=li+si").getStatus()).as("a token refilled").isEqualTo(404);
    }

    @Test
    void everyQueryThatReachesTheSubscribersCertificatesIsLimitedWhateverItsKey() throws Exception {
        // iHash of a CA's subject lists up to 100 of its subscribers' certificates: no way around the limit.
        assertThat(get("/certs?iHash=" + HASH).getStatus()).isEqualTo(404);
        assertThat(get("/certs?sKIDHash=" + HASH).getStatus()).isEqualTo(404);
        assertThat(get("/certs?iHash=" + HASH).getStatus()).isEqualTo(429);
        assertThat(asked).containsExactly("iHash", "sKIDHash");
    }

    @Test
    void crlLookupsAreNotLimited() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/crls?name=sm2-issuing").getStatus()).isEqualTo(404);
            assertThat(get("/crls?iHash=" + HASH).getStatus()).isEqualTo(404);
        }
    }

    private HttpTester.Response get(String path) throws Exception {
        return HttpTester.parseResponse(connector.getResponse(
                "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"));
    }
}
