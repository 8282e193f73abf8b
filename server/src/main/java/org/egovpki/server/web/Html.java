package org.egovpki.server.web;

/**
 * HTML escaping: every value a page shows goes through {@link #escape}, whether it came from the
 * configuration, a certificate or the request, so no text can become markup.
 */
final class Html {

    private Html() {
    }

    /** {@code text} safe inside an element or a double- or single-quoted attribute; {@code null} is empty. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Plain text as paragraphs: blank lines separate them, escaped, single line breaks kept. */
    static String paragraphs(String text) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.strip().split("\\R\\s*\\R")) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("# ")) {
                out.append("<h2>").append(escape(p.substring(2).strip())).append("</h2>\n");
            } else {
                out.append("<p>").append(escape(p).replaceAll("\\R", "<br>")).append("</p>\n");
            }
        }
        return out.toString();
    }
}
