package org.egovpki.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * A device certificate issued over the REST API as a relying party's test needs one: an ECDSA P-256 request
 * for the {@code device-ec} profile the test's configuration adds, entered by {@code clerk1} and approved by
 * {@code reviewer1}.
 */
final class DeviceRequests {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceRequests() {
    }

    /** Issues a {@code device-ec} certificate for {@code host} in {@code businessType}; answers its serial. */
    static String issueEc(ApiClient api, String businessType, String host) throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + host + ",O=Bureau,C=CN"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", "device-ec");
        body.put("businessType", businessType);
        body.put("region", "410000");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Bureau IT");
        body.put("challengePhrase", "device phrase 1");
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        return issued.path("serials").get(0).asText();
    }
}
