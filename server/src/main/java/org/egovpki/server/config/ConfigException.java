package org.egovpki.server.config;

/**
 * A configuration value that cannot be used. The message always names the key, the value and what
 * is allowed, because it is printed to an operator as the one line explaining why start-up stopped.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static ConfigException invalid(String key, Object value, String allowed) {
        return new ConfigException("configuration key '" + key + "' has invalid value '" + value + "': " + allowed);
    }
}
