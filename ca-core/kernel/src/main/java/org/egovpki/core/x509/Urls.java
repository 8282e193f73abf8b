package org.egovpki.core.x509;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** Checks URLs that go into certificate extensions as IA5String URIs. */
final class Urls {

    private Urls() {
    }

    /**
     * Returns {@code url} unchanged if it is null or an absolute ASCII URI with a host and one of
     * {@code schemes}; otherwise throws, naming the field.
     */
    static String requireUrl(String field, String url, Set<String> schemes) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " \"" + url + "\" is not a valid URI (" + e.getReason()
                    + "); percent-encode spaces and other special characters");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !schemes.contains(scheme)) {
            throw new IllegalArgumentException(field + " \"" + url + "\" must use one of the schemes "
                    + String.join(", ", schemes.stream().sorted().toList()));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(field + " \"" + url + "\" has no host name");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(field + " \"" + url
                    + "\" contains non-ASCII characters or blanks; percent-encode them (URIs are IA5String)");
        }
        return url;
    }
}
