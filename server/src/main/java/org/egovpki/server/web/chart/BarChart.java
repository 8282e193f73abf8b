package org.egovpki.server.web.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A grouped bar chart as a self-contained SVG string: no script, no external fonts or styles, so it
 * works on an isolated network and inside any page. Accessible: {@code role="img"} labelled by its
 * {@code <title>} and {@code <desc>}, every bar carrying its value as text and as a {@code <title>}
 * tooltip, category and series names as text, and colours that keep 4.5:1 contrast on white. The
 * statistics pages draw their figures with it (docs/statistics.md).
 *
 * @param title       what the chart shows (the accessible name)
 * @param description a sentence for screen readers, e.g. the period and grouping
 * @param categories  the labels along the x axis (periods), in order
 * @param series      one or more named rows of values, each with one value per category
 */
public record BarChart(String title, String description, List<String> categories, List<Series> series) {

    /** A named row of values, one per category; {@code null} is drawn as no bar. */
    public record Series(String name, List<Long> values) {
        public Series {
            Objects.requireNonNull(name, "name");
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** Colours with at least 4.5:1 contrast against white, told apart also by the legend's order. */
    static final List<String> PALETTE = List.of("#1f5fa8", "#b3261e", "#2e7d32", "#6a1b9a", "#8a5300", "#00695c");

    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 48;
    private static final int BOTTOM = 72;

    public BarChart {
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        categories = List.copyOf(categories);
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.values().size() != categories.size()) {
                throw new IllegalArgumentException("series '" + s.name() + "' has " + s.values().size()
                        + " values for " + categories.size() + " categories");
            }
        }
    }

    /** The chart as an {@code <svg>} element (UTF-8 text, no XML declaration, ready to inline in HTML). */
    public String toSvg() {
        long max = 0;
        for (Series s : series) {
            for (Long v : s.values()) {
                if (v != null && v > max) {
                    max = v;
                }
            }
        }
        long top = niceCeiling(max);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<title id=\"chart-title\">").append(xml(title)).append("</title>\n");
        svg.append("<desc id=\"chart-desc\">").append(xml(description)).append("</desc>\n");
        svg.append("<rect width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#ffffff\"/>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#1a1a1a\">")
                .append(xml(title)).append("</text>\n");
        // y axis: four gridlines with their values
        for (int i = 0; i <= 4; i++) {
            long value = top * i / 4;
            double y = TOP + plotHeight - (double) plotHeight * i / 4;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"")
                    .append(i == 0 ? "#1a1a1a" : "#d0d0d0").append("\"/>\n");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\" fill=\"#1a1a1a\">").append(value).append("</text>\n");
        }
        int n = Math.max(1, categories.size());
        double slot = (double) plotWidth / n;
        double barWidth = Math.max(1, slot * 0.8 / Math.max(1, series.size()));
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + slot * c + slot * 0.1;
            svg.append("<g>\n");
            for (int s = 0; s < series.size(); s++) {
                Long v = series.get(s).values().get(c);
                if (v == null) {
                    continue;
                }
                double h = top == 0 ? 0 : (double) plotHeight * v / top;
                double x = x0 + barWidth * s;
                double y = TOP + plotHeight - h;
                svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                        .append(fmt(barWidth)).append("\" height=\"").append(fmt(h)).append("\" fill=\"")
                        .append(PALETTE.get(s % PALETTE.size())).append("\"><title>")
                        .append(xml(series.get(s).name() + ", " + categories.get(c) + ": " + v)).append("</title></rect>\n");
                if (barWidth >= 14) {
                    svg.append("<text x=\"").append(fmt(x + barWidth / 2)).append("\" y=\"").append(fmt(y - 3))
                            .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#1a1a1a\">").append(v)
                            .append("</text>\n");
                }
            }
            double labelX = LEFT + slot * c + slot / 2;
            svg.append("<text x=\"").append(fmt(labelX)).append("\" y=\"").append(TOP + plotHeight + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#1a1a1a\"")
                    .append(categories.size() > 12 ? " transform=\"rotate(45 " + fmt(labelX) + " "
                            + (TOP + plotHeight + 16) + ")\" font-size=\"10\"" : "")
                    .append('>').append(xml(categories.get(c))).append("</text>\n");
            svg.append("</g>\n");
        }
        // legend, in series order
        double lx = LEFT;
        int ly = HEIGHT - 14;
        for (int s = 0; s < series.size(); s++) {
            svg.append("<rect x=\"").append(fmt(lx)).append("\" y=\"").append(ly - 10)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(PALETTE.get(s % PALETTE.size())).append("\"/>");
            svg.append("<text x=\"").append(fmt(lx + 16)).append("\" y=\"").append(ly).append("\" fill=\"#1a1a1a\">")
                    .append(xml(series.get(s).name())).append("</text>\n");
            lx += 28 + 7 * series.get(s).name().length();
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max} (at least 1). */
    static long niceCeiling(long max) {
        if (max <= 1) {
            return 1;
        }
        long power = 1;
        while (power * 10 < max) {
            power *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t') {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
