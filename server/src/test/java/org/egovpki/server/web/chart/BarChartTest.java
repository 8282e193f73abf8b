package org.egovpki.server.web.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

class BarChartTest {

    private final BarChart chart = new BarChart("Certificates issued <by day> & revoked", "1 to 3 December 2026, Asia/Shanghai",
            List.of("2026-12-01", "2026-12-02", "2026-12-03"),
            List.of(new BarChart.Series("issued", List.of(3L, 0L, 12L)), new BarChart.Series("revoked", Arrays.asList(1L, null, 0L))));

    @Test
    void isWellFormedAccessibleSvgWithItsTitleAndEveryLabel() throws Exception {
        Document svg = parse(chart.toSvg());

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getAttribute("role")).isEqualTo("img");
        assertThat(svg.getDocumentElement().getAttribute("aria-labelledby")).isEqualTo("chart-title chart-desc");
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("Certificates issued <by day> & revoked");
        assertThat(svg.getElementsByTagName("desc").item(0).getTextContent()).isEqualTo("1 to 3 December 2026, Asia/Shanghai");
        assertThat(texts(svg)).contains("2026-12-01", "2026-12-02", "2026-12-03", "issued", "revoked", "12", "3");
        assertThat(svg.getElementsByTagName("script").getLength()).isZero();
    }

    @Test
    void eachBarIsAsTallAsItsValueAndSaysItInItsTooltip() throws Exception {
        Document svg = parse(chart.toSvg());
        NodeList rects = svg.getElementsByTagName("rect");
        List<String> tooltips = new ArrayList<>();
        double issued3 = 0;
        double issued12 = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            var rect = (org.w3c.dom.Element) rects.item(i);
            NodeList title = rect.getElementsByTagName("title");
            if (title.getLength() == 1) {
                String t = title.item(0).getTextContent();
                tooltips.add(t);
                if (t.equals("issued, 2026-12-01: 3")) {
                    issued3 = Double.parseDouble(rect.getAttribute("height"));
                }
                if (t.equals("issued, 2026-12-03: 12")) {
                    issued12 = Double.parseDouble(rect.getAttribute("height"));
                }
            }
        }
        assertThat(tooltips).containsExactly("issued, 2026-12-01: 3", "revoked, 2026-12-01: 1", "issued, 2026-12-02: 0",
                "issued, 2026-12-03: 12", "revoked, 2026-12-03: 0");
        assertThat(issued12 / issued3).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void anEmptyChartStillRendersAndAMismatchedSeriesIsRefused() throws Exception {
        assertThat(parse(new BarChart("Nothing yet", null, List.of(), List.of()).toSvg())
                .getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Nothing yet");
        assertThatThrownBy(() -> new BarChart("t", "d", List.of("a", "b"), List.of(new BarChart.Series("s", List.of(1L)))))
                .hasMessage("series 's' has 1 values for 2 categories");
    }

    @Test
    void theAxisTopIsARoundNumber() {
        assertThat(BarChart.niceCeiling(0)).isEqualTo(1);
        assertThat(BarChart.niceCeiling(12)).isEqualTo(20);
        assertThat(BarChart.niceCeiling(20)).isEqualTo(20);
        assertThat(BarChart.niceCeiling(480)).isEqualTo(500);
        assertThat(BarChart.niceCeiling(501)).isEqualTo(1000);
    }

    private static List<String> texts(Document svg) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
