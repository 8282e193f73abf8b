package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egov-pki request import} from the real jar against the real server: a CSV file of valid
 * applications and one the RA refuses, the requests it leaves on the server, the results file, and a
 * resume after the refused line was fixed and a line added, which submits nothing twice.
 */
class RequestImportIT {

    private static final String PASSWORD = "Operator2026pw";
    private static final String HEADER = "profile,csrFile,realName,idType,idNumber,phone,businessType,region,"
            + "challengePhrase,agreementAccepted\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp);
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        api = server.api(PASSWORD);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCsvFileIsImportedLineByLineAndAResumeSendsOnlyTheLinesNotStored() throws Exception {
        Path csv = tmp.resolve("staff.csv");
        String li = line("li.csr", "Li Lei", idNumber("11010519900307001"));
        String han = line("han.csr", "Han Meimei", idNumber("11010519920412002"));
        String wrongCheckDigit = line("wang.csr", "Wang Wu", wrong(idNumber("11010519850101003")));
        Files.writeString(csv, HEADER + li + wrongCheckDigit + han);

        ServerProcess first = run(csv);
        assertThat(first.awaitExit(Duration.ofSeconds(120))).as(first.output()).isEqualTo(3);
        assertThat(first.output()).contains("line 3 refused: BAD_REQUEST (field registration.idNumber)")
                .contains("3 line(s): 2 created, 1 refused, 0 not sent");
        Path results = tmp.resolve("staff.csv.results.jsonl");
        List<JsonNode> entries = entries(results);
        assertThat(entries).extracting(e -> e.path("line").asInt() + " " + e.path("status").asText())
                .containsExactly("2 CREATED", "3 REFUSED", "4 CREATED");
        assertThat(entries.get(1).path("message").asText()).doesNotContain(idNumber("11010519850101003"));
        for (JsonNode created : List.of(entries.get(0), entries.get(2))) {
            JsonNode request = api.json("clerk1", "/api/v1/requests/" + created.path("request").asText());
            assertThat(request.path("state").asText()).isEqualTo("SUBMITTED");
            assertThat(request.path("enteredBy").asText()).contains("uid=clerk1");
        }
        assertThat(submitted()).containsExactlyInAnyOrder("Li Lei", "Han Meimei");

        // The refused line is fixed and a line is added; the two stored lines must not go again.
        Files.writeString(csv, HEADER + li + line("wang.csr", "Wang Wu", idNumber("11010519850101003")) + han
                + line("zhao.csr", "Zhao Liu", idNumber("11010519700615004")));
        ServerProcess resumed = run(csv, "--resume", results.toString());
        assertThat(resumed.awaitExit(Duration.ofSeconds(120))).as(resumed.output()).isZero();
        assertThat(entries(results)).extracting(e -> e.path("line").asInt() + " " + e.path("status").asText())
                .containsExactly("2 CREATED", "3 CREATED", "4 CREATED", "5 CREATED");
        assertThat(resumed.output()).contains("this run: 2 created, 0 refused of 2 to send");
        assertThat(submitted()).containsExactlyInAnyOrder("Li Lei", "Han Meimei", "Wang Wu", "Zhao Liu");
    }

    private static ServerProcess run(Path file, String... extra) {
        List<String> args = new ArrayList<>(List.of("request", "import", file.toString(), "--url",
                server.baseUrl(), "--user", "clerk1", "--password-file", passwordFile.toString()));
        args.addAll(List.of(extra));
        return ServerProcess.launch(tmp.resolve("cli"), args.toArray(String[]::new));
    }

    /** The real names of the requests waiting on the server (the clerk who entered them sees them whole). */
    private static List<String> submitted() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode request : api.json("clerk1", "/api/v1/requests?state=SUBMITTED").path("requests")) {
            names.add(request.path("registration").path("realName").asText());
        }
        return names;
    }

    /** One CSV line, with a fresh SM2 key's CSR written to {@code csrFile} (DER). */
    private static String line(String csrFile, String name, String idNumber) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        Files.write(tmp.resolve(csrFile), der);
        return "personal," + csrFile + "," + name + ",RESIDENT_ID," + idNumber + ",+86 371 6000 0000,tax,410000,"
                + "\"my secret phrase, of course\",true\n";
    }

    /** A resident ID number: the 17 digits and their ISO 7064 MOD 11-2 check character. */
    private static String idNumber(String digits) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (digits.charAt(i) - '0') * weights[i];
        }
        return digits + "10X98765432".charAt(sum % 11);
    }

    private static String wrong(String idNumber) {
        char check = idNumber.charAt(17);
        return idNumber.substring(0, 17) + (check == '0' ? '1' : '0');
    }

    private static List<JsonNode> entries(Path results) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            entries.add(ApiClient.JSON.readTree(line));
        }
        return entries;
    }
}
