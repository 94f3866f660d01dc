package org.wikiedits.config;

import org.apache.camel.spi.PropertiesComponent;

/** The {@code wikiedits.*} settings as Camel resolved them, read by the factories that bind beans. */
public final class CamelSettings {

    private CamelSettings() {
    }

    public static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    public static long number(PropertiesComponent properties, String key) {
        String value = required(properties, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    public static String required(PropertiesComponent properties, String key) {
        String value = optional(properties, key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D"
                    + key + "=... or as the environment variable " + environmentName(key));
        }
        return value;
    }

    /** WIKIEDITS_SOURCE_USER_AGENT for wikiedits.source.user-agent. */
    static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
