package org.egovpki.server.web;

import org.egovpki.server.web.Messages.Lang;

/**
 * The frame every public page shares: the document head (charset, phone viewport, the served
 * stylesheet; no script and no external asset), the operator's name, the navigation, the language
 * switch and the footer. Pages hand it their escaped body. Pages added later (a login page,
 * statistics) use it too, adding their links to {@link #NAV}.
 */
final class Layout {

    /** The navigation: path and message key. */
    private static final String[][] NAV = {
            {"/", "nav.home"}, {"/lookup", "nav.lookup"}, {"/revoke", "nav.revoke"}, {"/recover", "nav.recover"},
            {"/cps", "nav.cps"}, {"/agreement", "nav.agreement"}, {"/statistics", "nav.statistics"},
            {"/my/certificates", "nav.my"}};

    private final Messages messages;
    private final InfoContent info;

    Layout(Messages messages, InfoContent info) {
        this.messages = messages;
        this.info = info;
    }

    /**
     * @param path  the page's path, for the language switch and the current navigation entry
     * @param title the page's title, not yet escaped
     * @param body  the page's content, already HTML
     */
    String page(Lang lang, String path, String title, String body) {
        String organisation = Html.escape(info.organisation(lang));
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"").append(lang.htmlLang()).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append(" - ").append(organisation).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(WebHandler.CSS_PATH).append("\">\n")
                .append("</head>\n<body>\n")
                .append("<a class=\"skip\" href=\"#main\">").append(messages.html(lang, "layout.skip")).append("</a>\n")
                .append("<header>\n<p class=\"org\">").append(organisation).append("</p>\n")
                .append("<nav aria-label=\"").append(messages.html(lang, "layout.nav")).append("\"><ul>\n");
        for (String[] entry : NAV) {
            out.append("<li><a href=\"").append(entry[0]).append('"');
            if (entry[0].equals(path)) {
                out.append(" aria-current=\"page\"");
            }
            out.append('>').append(messages.html(lang, entry[1])).append("</a></li>\n");
        }
        out.append("</ul></nav>\n<p class=\"lang\">");
        Lang other = lang == Lang.ZH ? Lang.EN : Lang.ZH;
        out.append("<a id=\"lang-switch\" href=\"").append(Html.escape(path)).append("?lang=").append(other.code())
                .append("\" lang=\"").append(other.htmlLang()).append("\" hreflang=\"").append(other.htmlLang())
                .append("\">").append(messages.html(other, "layout.language")).append("</a></p>\n")
                .append("</header>\n<main id=\"main\">\n<h1>").append(Html.escape(title)).append("</h1>\n")
                .append(body)
                .append("</main>\n<footer><p>").append(organisation).append(" &middot; ")
                .append(messages.html(lang, "layout.footer")).append("</p></footer>\n</body>\n</html>\n");
        return out.toString();
    }
}
