package org.egovpki.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every text of the public pages, from two bundles with one key set: {@code messages_zh.properties}
 * (the default) and {@code messages_en.properties}, both UTF-8. A missing key is a bug the unit
 * test catches before a page shows it.
 */
public final class Messages {

    /** The languages the pages speak; Chinese first, the default. */
    public enum Lang {
        ZH("zh", "zh-CN"), EN("en", "en");

        private final String code;
        private final String htmlLang;

        Lang(String code, String htmlLang) {
            this.code = code;
            this.htmlLang = htmlLang;
        }

        public String code() {
            return code;
        }

        /** The value of {@code <html lang>}. */
        public String htmlLang() {
            return htmlLang;
        }

        /** The language a {@code lang} parameter or cookie names, or {@code null} for anything else. */
        static Lang of(String code) {
            for (Lang lang : values()) {
                if (lang.code.equals(code)) {
                    return lang;
                }
            }
            return null;
        }
    }

    private final Map<Lang, Properties> bundles;

    private Messages(Map<Lang, Properties> bundles) {
        this.bundles = bundles;
    }

    /** The bundles shipped in the jar. */
    public static Messages load() {
        return new Messages(Map.of(Lang.ZH, bundle("messages_zh.properties"), Lang.EN, bundle("messages_en.properties")));
    }

    /** The text of {@code key} with {@code {0}}, {@code {1}}... replaced by {@code args} (not escaped). */
    public String text(Lang lang, String key, Object... args) {
        String text = bundles.get(lang).getProperty(key);
        if (text == null) {
            throw new IllegalStateException("message '" + key + "' is missing from the " + lang.code() + " bundle");
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** {@link #text}, HTML-escaped. */
    String html(Lang lang, String key, Object... args) {
        return Html.escape(text(lang, key, args));
    }

    /** The keys of one bundle. */
    public Set<String> keys(Lang lang) {
        return new TreeSet<>(bundles.get(lang).stringPropertyNames());
    }

    private static Properties bundle(String name) {
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server jar");
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " cannot be read from the server jar", e);
        }
    }
}
