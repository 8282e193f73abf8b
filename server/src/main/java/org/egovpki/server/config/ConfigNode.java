package org.egovpki.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A read cursor over one mapping of the YAML tree that knows its dotted path, so every error names
 * the exact key, and that remembers which keys were read, so a misspelt key is refused instead of
 * silently ignored.
 */
final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigNode(JsonNode node, String path) {
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.path = path;
        if (!this.node.isMissingNode() && !this.node.isObject()) {
            throw new ConfigException("configuration key '" + displayPath() + "' must be a mapping of keys to values, "
                    + "found '" + this.node.asText() + "'");
        }
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private String displayPath() {
        return path.isEmpty() ? "(top level)" : path;
    }

    private JsonNode value(String name) {
        read.add(name);
        JsonNode value = node.path(name);
        return value.isNull() ? MissingNode.getInstance() : value;
    }

    ConfigNode child(String name) {
        return new ConfigNode(value(name), key(name));
    }

    String string(String name, String fallback) {
        JsonNode value = value(name);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw ConfigException.invalid(key(name), value, "expected a single value");
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            throw ConfigException.invalid(key(name), "", "must not be empty (remove the key to use the default '"
                    + fallback + "')");
        }
        return text;
    }

    int integer(String name, int fallback, int min, int max) {
        JsonNode value = value(name);
        if (value.isMissingNode()) {
            return fallback;
        }
        boolean integral = value.isIntegralNumber() ? value.canConvertToInt()
                : value.isTextual() && isIntegerText(value.asText());
        if (!integral) {
            throw ConfigException.invalid(key(name), value.asText(), "expected a whole number from " + min + " to " + max);
        }
        int parsed = value.isIntegralNumber() ? value.intValue() : Integer.parseInt(value.asText().trim());
        if (parsed < min || parsed > max) {
            throw ConfigException.invalid(key(name), parsed, "expected a whole number from " + min + " to " + max);
        }
        return parsed;
    }

    boolean bool(String name, boolean fallback) {
        JsonNode value = value(name);
        if (value.isMissingNode()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw ConfigException.invalid(key(name), value.asText(), "expected true or false");
    }

    /** Reads a value and converts it; the converter's IllegalArgumentException becomes a keyed error. */
    <T> T parsed(String name, String fallback, Function<String, T> converter, String allowed) {
        String text = string(name, fallback);
        if (text == null) {
            return null;
        }
        try {
            return converter.apply(text);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? allowed : allowed + " (" + e.getMessage() + ")";
            throw ConfigException.invalid(key(name), text, reason);
        }
    }

    /** The mappings of a list, each with its indexed path ({@code ca.chains[0]}); absent means empty. */
    List<ConfigNode> list(String name) {
        JsonNode value = value(name);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ConfigException.invalid(key(name), value.asText(), "expected a list");
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(new ConfigNode(value.get(i), key(name) + "[" + i + "]"));
        }
        return items;
    }

    /** A list of plain values; absent means empty. */
    List<String> strings(String name) {
        JsonNode value = value(name);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ConfigException.invalid(key(name), value.asText(), "expected a list of values");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.asText().isBlank()) {
                throw ConfigException.invalid(key(name), item.toString(), "expected a list of non-empty values");
            }
            items.add(item.asText().trim());
        }
        return items;
    }

    boolean has(String name) {
        return !node.path(name).isMissingNode() && !node.path(name).isNull();
    }

    /** Fails on any key of this mapping that no reader asked for. Call after reading all keys. */
    void rejectUnknownKeys() {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ConfigException("unknown configuration key '" + key(first) + "'; allowed keys in "
                    + displayPath() + ": " + String.join(", ", read));
        }
    }

    private static boolean isIntegerText(String text) {
        return text.trim().matches("-?\\d{1,9}");
    }
}
