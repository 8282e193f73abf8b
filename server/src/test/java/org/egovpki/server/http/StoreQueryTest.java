package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Base64;
import org.egovpki.core.DomainException;
import org.egovpki.core.x509.StoreKeys;
import org.egovpki.server.http.StoreQuery.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreQueryTest {

    /** A hash whose base64 holds '+', '/' and the '=' padding, the characters RFC 4387 makes clients escape. */
    private static final byte[] HASH = hashWithAllSpecialCharacters();
    private static final String CANONICAL = Base64.getEncoder().encodeToString(HASH);

    @Test
    void theTestHashUsesEverySpecialCharacter() {
        assertThat(CANONICAL).contains("+").contains("/").endsWith("=").hasSize(28);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RFC 4387 escaping        | %2B | %2F | %3D",
            "unescaped plus and slash | +   | /   | %3D",
            "no padding               | %2B | %2F | ''",
            "URL-safe alphabet        | -   | _   | ''",
            "lower-case escapes       | %2b | %2f | %3d"})
    void everyUnambiguousFormOfAHashNormalisesToThePaddedBase64(String form, String plus, String slash, String pad) {
        String raw = CANONICAL.substring(0, 27).replace("+", plus).replace("/", slash) + pad;

        StoreQuery query = StoreQuery.parse(Target.CERTIFICATES, "sHash=" + raw);

        assertThat(query).isEqualTo(new StoreQuery(Target.CERTIFICATES, StoreKeys.Key.SUBJECT_HASH, CANONICAL));
    }

    @Test
    void attributesAreMatchedCaseInsensitivelyAndEveryKeyIsParsed() {
        assertThat(StoreQuery.parse(Target.CRLS, "ihash=" + escaped()).key()).isEqualTo(StoreKeys.Key.ISSUER_HASH);
        assertThat(StoreQuery.parse(Target.BOTH, "sKIDHash=" + escaped()).key()).isEqualTo(StoreKeys.Key.KEY_ID_HASH);
        assertThat(StoreQuery.parse(Target.CERTIFICATES, "email=Wang.Wu%2Btax@Example.gov.cn"))
                .isEqualTo(new StoreQuery(Target.CERTIFICATES, StoreKeys.Key.EMAIL, "wang.wu+tax@example.gov.cn"));
        assertThat(StoreQuery.parse(Target.CERTIFICATES, "email=wang.wu+tax@example.gov.cn").value())
                .as("an unescaped '+' in an address").isEqualTo("wang.wu+tax@example.gov.cn");
        assertThat(StoreQuery.parse(Target.CRLS, "name=egov-pki+SM2+Issuing+CA"))
                .isEqualTo(new StoreQuery(Target.CRLS, StoreKeys.Key.NAME, "egov-pki sm2 issuing ca"));
        assertThat(StoreQuery.parse(Target.CERTIFICATES, "name=%E5%BC%A0%E4%B8%89").value()).isEqualTo("张三");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "CERTIFICATES | ''                         | names no attribute",
            "CERTIFICATES | &&                         | names no attribute",
            "CERTIFICATES | sHash                      | has no value",
            "CERTIFICATES | sHash=abc                  | base64 of a 20-byte SHA-1",
            "CERTIFICATES | sHash=%ZZ                  | percent-encoding",
            "CERTIFICATES | sHash=a&iHash=b            | one attribute per query",
            "CERTIFICATES | certHash=x                 | does not answer",
            "CERTIFICATES | iAndSHash=x                | does not answer",
            "CERTIFICATES | serial=1                   | unknown attribute 'serial'",
            "CRLS         | sHash=x                    | selects certificates, not CRLs",
            "CRLS         | email=a@b.cn               | selects certificates, not CRLs",
            "CERTIFICATES | email=nobody               | an address",
            "CERTIFICATES | email=a@                   | an address",
            "CERTIFICATES | name=                      | 1 to 255 characters",
            "CERTIFICATES | name=a%0Ab                 | control or format character U+000A"})
    void malformedQueriesAreBadRequestsSayingWhatIsWrong(Target target, String query, String message) {
        assertThatThrownBy(() -> StoreQuery.parse(target, query))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST))
                .hasMessageContaining(message);
    }

    /** What ApacheDS answers with an error (ERR_13724) must be refused before the directory sees it. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "CERTIFICATES | name=%EF%BF%BD       | name  | U+FFFD",
            "CERTIFICATES | name=%EE%80%80       | name  | U+E000",
            "CERTIFICATES | name=%F4%8F%BF%BF    | name  | U+10FFFF",
            "CERTIFICATES | name=%FF             | name  | U+FFFD",
            "CERTIFICATES | name=%C0%80          | name  | U+FFFD",
            "CERTIFICATES | email=a%EF%BF%BD%40b.cn | email | U+FFFD",
            "BOTH         | name=a%E2%80%AEb     | name  | U+202E",
            "CRLS         | name=%EF%BF%BD       | name  | U+FFFD"})
    void aCharacterTheDirectoryCannotMatchIsABadRequestNamingTheParameter(Target target, String query, String field,
                                                                          String codePoint) {
        assertThatThrownBy(() -> StoreQuery.parse(target, query))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo(field);
                })
                .hasMessageContaining(codePoint);
    }

    @Test
    void aNonCanonicalHashEncodingIsRefused() {
        // The 27th character carries 4 bits of the hash and 2 that must be zero.
        char last = CANONICAL.charAt(26);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char nonCanonical = alphabet.charAt(alphabet.indexOf(last) | 1);
        assertThat(nonCanonical).isNotEqualTo(last);
        assertThatThrownBy(() -> StoreQuery.parse(Target.CERTIFICATES,
                "sHash=" + escape(CANONICAL.substring(0, 26) + nonCanonical)))
                .hasMessageContaining("not a canonical base64");
    }

    @Test
    void errorMessagesNeverEchoANameOrAnEmail() {
        assertThatThrownBy(() -> StoreQuery.parse(Target.CERTIFICATES, "email=zhang.san@tax.example.gov.cn&name=x"))
                .message().doesNotContain("zhang.san");
    }

    @Test
    void onlyTheStorePathsAreTargets() {
        assertThat(StoreQuery.target("/certs")).contains(Target.CERTIFICATES);
        assertThat(StoreQuery.target("/crls/")).contains(Target.CRLS);
        assertThat(StoreQuery.target("/search.cgi")).contains(Target.BOTH);
        assertThat(StoreQuery.target("/certs/x")).isEmpty();
        assertThat(StoreQuery.target("/crl/sm2-issuing.crl")).isEmpty();
    }

    private static String escaped() {
        return escape(CANONICAL);
    }

    private static String escape(String base64) {
        return base64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
    }

    private static byte[] hashWithAllSpecialCharacters() {
        try {
            for (int i = 0; ; i++) {
                byte[] hash = MessageDigest.getInstance("SHA-1").digest(Integer.toString(i).getBytes());
                String base64 = Base64.getEncoder().encodeToString(hash);
                if (base64.substring(0, 27).contains("+") && base64.substring(0, 27).contains("/")) {
                    return hash;
                }
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
