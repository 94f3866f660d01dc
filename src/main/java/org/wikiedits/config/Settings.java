package org.wikiedits.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The operator's settings, resolved the same way for every subcommand: the packaged
 * {@code application.properties}, then an optional {@code ./application.properties}, then
 * environment variables ({@code WIKIEDITS_SOURCE_USER_AGENT} for {@code wikiedits.source.user-agent}),
 * then {@code -Dkey=value} system properties; the last one found wins.
 */
public final class Settings {

    /** The prefix of the environment variables that are settings. */
    public static final String ENVIRONMENT_PREFIX = "WIKIEDITS_";

    private final Map<String, String> values;
    /** The keys whose value came from an environment variable (not overridden since), with the variable. */
    private final Map<String, String> fromEnvironment;
    /** The {@code WIKIEDITS_*} environment variables that are no setting's (typos, or other tools'). */
    private final List<String> unmatchedEnvironment;

    private Settings(Map<String, String> values, Map<String, String> fromEnvironment, List<String> unmatchedEnvironment) {
        this.values = values;
        this.fromEnvironment = fromEnvironment;
        this.unmatchedEnvironment = unmatchedEnvironment;
    }

    /** Settings from the packaged defaults, {@code ./application.properties}, the environment and system properties. */
    public static Settings load() {
        return load(System.getenv(), System.getProperties(), Path.of("application.properties"));
    }

    public static Settings load(Map<String, String> env, Properties system, Path localFile) {
        Properties merged = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                merged.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            if (Files.isRegularFile(localFile)) {
                try (Reader reader = Files.newBufferedReader(localFile, StandardCharsets.UTF_8)) {
                    merged.load(reader);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties: " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        merged.stringPropertyNames().forEach(key -> values.put(key, merged.getProperty(key).trim()));
        Map<String, String> fromEnvironment = new TreeMap<>();
        java.util.Set<String> settingVariables = new java.util.HashSet<>();
        for (String key : values.keySet().toArray(String[]::new)) {
            settingVariables.add(environmentName(key));
            String fromEnv = env.get(environmentName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
                fromEnvironment.put(key, environmentName(key));
            }
        }
        system.stringPropertyNames().stream()
                .filter(key -> key.startsWith("wikiedits.") || key.startsWith("camel."))
                .forEach(key -> {
                    values.put(key, system.getProperty(key).trim());
                    fromEnvironment.remove(key);
                });
        List<String> unmatched = env.keySet().stream().filter(name -> name.startsWith(ENVIRONMENT_PREFIX))
                .filter(name -> !settingVariables.contains(name)).sorted().toList();
        return new Settings(values, fromEnvironment, unmatched);
    }

    /** The environment variable that overrides {@code key}: upper case, {@code .} and {@code -} become {@code _}. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The environment variable the value of {@code key} came from, if it did. */
    public Optional<String> environmentVariable(String key) {
        return Optional.ofNullable(fromEnvironment.get(key));
    }

    /** The {@code WIKIEDITS_*} environment variables that set no setting: typos, or variables of other tools. */
    public List<String> unmatchedEnvironmentVariables() {
        return unmatchedEnvironment;
    }

    /** The value of {@code key}, or {@code ""} when it is unset or empty. */
    public String get(String key) {
        return values.getOrDefault(key, "");
    }

    public String require(String key) {
        String value = get(key);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("No value for " + key + ": set it in application.properties, as -D"
                    + key + "=... or as the environment variable " + environmentName(key));
        }
        return value;
    }

    public int getInt(String key) {
        return (int) getLong(key);
    }

    public long getLong(String key) {
        String value = require(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + Secrets.shown(key, value) + "'");
        }
    }

    public double getDouble(String key) {
        String value = require(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + Secrets.shown(key, value) + "'");
        }
    }

    /** The value of {@code key} as it may be printed or logged: secrets masked ({@link Secrets}). */
    public String shown(String key) {
        return Secrets.shown(key, get(key));
    }

    public Path dataDir() {
        return Path.of(require("wikiedits.data.dir"));
    }

    /** Every resolved setting, for handing to Camel as override properties. */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** A copy with some values replaced (tests, subcommand flags). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.putAll(overrides);
        Map<String, String> stillFromEnvironment = new TreeMap<>(fromEnvironment);
        stillFromEnvironment.keySet().removeAll(overrides.keySet());
        return new Settings(copy, stillFromEnvironment, unmatchedEnvironment);
    }
}
