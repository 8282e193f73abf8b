package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 4180 fields, and no field a spreadsheet would run as a formula. */
class CsvTest {

    @Test
    void aFieldWithACommaOrAQuoteIsQuoted() {
        assertThat(Csv.field("Zhengzhou, Henan")).isEqualTo("\"Zhengzhou, Henan\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field(null)).isEmpty();
    }

    @Test
    void aFieldAFormulaWouldStartWithIsKeptAsText() {
        assertThat(Csv.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(Csv.field("+cmd")).isEqualTo("'+cmd");
        assertThat(Csv.field("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    }

    @Test
    void numbersStayNumbers() {
        assertThat(Csv.field("-12")).isEqualTo("-12");
        assertThat(Csv.field("3.5")).isEqualTo("3.5");
        assertThat(Csv.field("tax")).isEqualTo("tax");
    }
}
