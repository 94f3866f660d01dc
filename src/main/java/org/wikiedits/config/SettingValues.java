package org.wikiedits.config;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads setting values of one kind (text, required text, positive number, http(s) URL) from any key
 * lookup, with messages that say what to set. The one place the aws, Firehose and Athena settings
 * records parse values, so they all reject the same way.
 */
public record SettingValues(Function<String, String> lookup) {

    /** The {@code wikiedits.*} settings as Camel resolved them, for the factories that bind beans. */
    public static SettingValues of(PropertiesComponent properties) {
        return new SettingValues(key -> properties.resolveProperty(key).orElse(null));
    }

    /** The trimmed value; empty when the key is unset. */
    public String text(String key) {
        String value = lookup.apply(key);
        return value == null ? "" : value.trim();
    }

    public String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D" + key
                    + "=... or as the environment variable " + Settings.environmentName(key));
        }
        return value;
    }

    /** A whole number (the lake's and the index's numeric settings accept 0). */
    public long number(String key) {
        String value = required(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
        }
    }

    public long positive(String key) {
        String value = required(key);
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(key + " must be a positive whole number, not '" + Secrets.shown(key, value) + "'");
    }

    /**
     * An optional http(s) URL with a host (an endpoint override); empty when unset.
     *
     * @param example shown in the message, e.g. {@code http://127.0.0.1:5000 (or empty: AWS)}
     */
    public Optional<URI> httpUrl(String key, String example) {
        String value = text(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(key + " must be an http(s) URL such as " + example + ", not '"
                + Secrets.shown(key, value) + "'");
    }
}
