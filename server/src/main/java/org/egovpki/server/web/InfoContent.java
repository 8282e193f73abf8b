package org.egovpki.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.web.Messages.Lang;

/**
 * What the information pages say about the operator ({@code info.*}): its name, contacts, and the
 * CPS and subscriber agreement texts, read once at start-up — the operator's files when configured,
 * otherwise the built-in templates.
 */
final class InfoContent {

    private final EgovPkiConfig.Info info;
    private final Map<Lang, String> cps = new EnumMap<>(Lang.class);
    private final Map<Lang, String> agreement = new EnumMap<>(Lang.class);
    private final Map<Lang, Boolean> cpsTemplate = new EnumMap<>(Lang.class);
    private final Map<Lang, Boolean> agreementTemplate = new EnumMap<>(Lang.class);

    InfoContent(EgovPkiConfig.Info info) {
        this.info = info;
        read(cps, cpsTemplate, Lang.ZH, info.cpsZh(), "cps_zh.txt");
        read(cps, cpsTemplate, Lang.EN, info.cpsEn(), "cps_en.txt");
        read(agreement, agreementTemplate, Lang.ZH, info.agreementZh(), "agreement_zh.txt");
        read(agreement, agreementTemplate, Lang.EN, info.agreementEn(), "agreement_en.txt");
    }

    String organisation(Lang lang) {
        return lang == Lang.ZH ? info.organisationZh() : info.organisationEn();
    }

    String phone() {
        return info.phone();
    }

    String email() {
        return info.email();
    }

    String address() {
        return info.address();
    }

    String cps(Lang lang) {
        return cps.get(lang);
    }

    String agreement(Lang lang) {
        return agreement.get(lang);
    }

    /** Whether the CPS shown is the built-in template rather than the operator's own. */
    boolean cpsIsTemplate(Lang lang) {
        return cpsTemplate.get(lang);
    }

    boolean agreementIsTemplate(Lang lang) {
        return agreementTemplate.get(lang);
    }

    private static void read(Map<Lang, String> texts, Map<Lang, Boolean> template, Lang lang, Path file,
                             String resource) {
        template.put(lang, file == null);
        if (file != null) {
            try {
                texts.put(lang, Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("info: " + file + " cannot be read as UTF-8 text", e);
            }
            return;
        }
        try (InputStream in = InfoContent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the server jar");
            }
            texts.put(lang, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(resource + " cannot be read from the server jar", e);
        }
    }
}
