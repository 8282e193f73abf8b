package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.egovpki.server.StartupException;
import org.egovpki.server.cli.ApplicationFile.Format;
import org.egovpki.server.cli.ApplicationFile.Parsed;
import org.egovpki.server.cli.ApplicationFile.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationFileTest {

    private static final String PEM = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBtest\n-----END CERTIFICATE REQUEST-----\n";

    @TempDir
    Path dir;

    private Parsed read(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return ApplicationFile.read(file, Format.of(file));
    }

    @Test
    void csvColumnsBecomeTheBatchItemsFieldsWithQuotedMultiLineCellsListsBooleansAndCsrFiles() throws Exception {
        Files.writeString(dir.resolve("gw2.csr"), PEM);
        Parsed parsed = read("devices.csv", "profile,csr,csrFile,organization,uscc,owner,hostNames,publishOptOut\r\n"
                + "device,\"" + PEM + "\",,\"Tax Bureau, Haidian\",91110000MA0000000X,Li Si,gw1.example.gov.cn;"
                + " gw1b.example.gov.cn,true\r\n"
                + "\r\n"
                + "device,,gw2.csr,Tax Bureau,91110000MA0000000X,Li Si,gw2.example.gov.cn,\n");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.lines()).extracting(ApplicationFile.Line::number).containsExactly(2, 7);
        JsonNode first = parsed.lines().get(0).application();
        assertThat(first.path("csr").asText()).isEqualTo(PEM.strip());
        assertThat(first.path("publishOptOut").booleanValue()).isTrue();
        assertThat(first.path("registration").path("organization").asText()).isEqualTo("Tax Bureau, Haidian");
        assertThat(first.path("registration").path("hostNames")).hasSize(2);
        assertThat(first.path("registration").path("hostNames").get(1).asText()).isEqualTo("gw1b.example.gov.cn");
        JsonNode second = parsed.lines().get(1).application();
        assertThat(second.path("csr").asText()).as("csrFile is read, relative to the import file").isEqualTo(PEM);
        assertThat(second.has("csrFile")).isFalse();
        assertThat(second.has("publishOptOut")).as("an empty cell leaves the field out").isFalse();
        assertThat(parsed.lines().get(0).fingerprint()).hasSize(64)
                .isNotEqualTo(parsed.lines().get(1).fingerprint());
    }

    @Test
    void jsonLinesAreBatchItemsAsTheyAreAndBlankLinesAreSkipped() throws Exception {
        Parsed parsed = read("people.jsonl", "{\"profile\":\"personal\",\"csr\":\"MIIB\",\"agreementAccepted\":true,"
                + "\"registration\":{\"realName\":\"Zhang San\",\"idType\":\"RESIDENT_ID\"}}\n\n"
                + "{\"profile\":\"personal\",\"csr\":\"MIIC\"}\n");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.lines()).extracting(ApplicationFile.Line::number).containsExactly(1, 3);
        assertThat(parsed.lines().get(0).application().path("registration").path("realName").asText())
                .isEqualTo("Zhang San");
    }

    static Stream<Arguments> malformed() {
        String header = "profile,csr,realName\n";
        return Stream.of(
                Arguments.of("unknown column", "x.csv", "profile,csr,nickname\ndevice,MIIB,x\n", 1, "nickname"),
                Arguments.of("column twice", "x.csv", "profile,csr,csr\ndevice,MIIB,MIIC\n", 1, "csr"),
                Arguments.of("too few cells", "x.csv", header + "device,MIIB,a\ndevice,MIIB\n", 3, null),
                Arguments.of("bad boolean", "x.csv", "profile,csr,agreementAccepted\ndevice,MIIB,yes\n", 2,
                        "agreementAccepted"),
                Arguments.of("no csr", "x.csv", header + "device,,Zhang San\n", 2, "csr"),
                Arguments.of("missing csr file", "x.csv", "profile,csrFile\ndevice,nowhere.csr\n", 2, "csrFile"),
                Arguments.of("unclosed quote", "x.csv", header + "device,\"MIIB,a\n", 2, null),
                Arguments.of("not JSON", "x.jsonl", "{\"profile\":\"p\",\"csr\":\"MIIB\"}\n{\"profile\":\n", 2, null),
                Arguments.of("not an object", "x.jsonl", "[1]\n", 1, null),
                Arguments.of("number for a string", "x.jsonl", "{\"profile\":\"p\",\"csr\":\"MIIB\","
                        + "\"registration\":{\"idNumber\":110105194912310021}}\n", 1, "registration.idNumber"),
                Arguments.of("unknown field", "x.jsonl", "{\"profile\":\"p\",\"csr\":\"MIIB\",\"ttl\":3}\n", 1, "ttl"),
                Arguments.of("list of numbers", "x.jsonl", "{\"profile\":\"p\",\"csr\":\"MIIB\","
                        + "\"registration\":{\"ipAddresses\":[10]}}\n", 1, "registration.ipAddresses"),
                Arguments.of("no profile", "x.jsonl", "{\"csr\":\"MIIB\"}\n", 1, "profile"),
                Arguments.of("empty file", "x.jsonl", "\n", 1, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedLineIsReportedWithItsLineAndField(String name, String file, String text, int line, String field)
            throws Exception {
        List<Problem> problems = read(file, text).problems();

        assertThat(problems).as(name).isNotEmpty();
        assertThat(problems.get(0).line()).as(problems.toString()).isEqualTo(line);
        assertThat(problems.get(0).field()).as(problems.toString()).isEqualTo(field);
    }

    @Test
    void aTypeErrorNamesTheTypeNeverTheValue() throws Exception {
        List<Problem> problems = read("x.jsonl", "{\"profile\":\"p\",\"csr\":\"MIIB\","
                + "\"registration\":{\"idNumber\":110105194912310021}}\n").problems();

        assertThat(problems.get(0).toString()).contains("must be a string, not number")
                .doesNotContain("110105194912310021");
    }

    @Test
    void theFormatComesFromTheExtensionOrIsAskedFor() {
        assertThat(Format.of(Path.of("a.CSV"))).isEqualTo(Format.CSV);
        assertThat(Format.of(Path.of("a.jsonl"))).isEqualTo(Format.JSONL);
        assertThatThrownBy(() -> Format.of(Path.of("a.txt"))).isInstanceOf(StartupException.class)
                .hasMessageContaining("--format");
    }
}
