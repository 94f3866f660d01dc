package org.wikiedits.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.wikiedits.config.AwsDelivery;
import org.wikiedits.config.AwsSettings;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.Secrets;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.Settings;
import org.wikiedits.query.athena.AthenaSettings;
import org.wikiedits.query.compaction.ParquetCompaction;
import org.wikiedits.query.compaction.ScheduledCompaction;
import org.wikiedits.sink.firehose.FirehoseSettings;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.source.file.NdjsonReplay;
import org.wikiedits.source.generator.GeneratorStream;
import org.wikiedits.source.http.Since;

/**
 * Every {@code wikiedits.*} setting, checked once before a command starts anything, with a short
 * message per bad value that names the key ({@code wikiedits.queue.capacity must be a positive whole
 * number, not 'abc'}), so that a typo never reaches Camel as a 60-line route exception or, worse,
 * is accepted silently. An entry for every key of {@code application.properties} ({@code SettingsCheckTest}
 * fails when one lacks it); the rules between settings are the aws records' own ({@link AwsSettings},
 * {@link FirehoseSettings}, {@link AthenaSettings}), applied in aws mode.
 */
public final class SettingsCheck {

    /** How one setting is checked: throws {@link IllegalArgumentException} with the message to print. */
    @FunctionalInterface
    interface Rule {
        void check(SettingValues read, String key);
    }

    private static final long S3_MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final String AWS_ENDPOINT_EXAMPLE = "http://127.0.0.1:5000 (or empty: AWS)";

    static final Map<String, Rule> RULES = rules();

    private SettingsCheck() {
    }

    private static Map<String, Rule> rules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("wikiedits.mode", oneOf(value -> {
            if (!value.equals("local") && !value.equals("aws")) {
                throw new IllegalArgumentException("wikiedits.mode must be 'local' or 'aws', not '" + value + "'");
            }
        }));
        // the source: what it is and how to open it is checked by the commands that read it (run, record)
        rules.put("wikiedits.source.url", required());
        rules.put("wikiedits.source.user-agent", text());
        rules.put("wikiedits.source.since", (read, key) -> {
            if (!read.text(key).isEmpty()) {
                Since.parse(read.text(key));
            }
        });
        rules.put("wikiedits.source.replay-speed", number(NdjsonReplay::checkSpeed));
        rules.put("wikiedits.generator.rate", number(GeneratorStream::checkRate));
        rules.put(ConfiguredSinks.KEY, oneOf(ConfiguredSinks::parse));
        rules.put("wikiedits.lake.roll-seconds", positive());
        rules.put("wikiedits.lake.roll-bytes", positive());
        rules.put("wikiedits.lake.dedupe-partitions", positive());
        rules.put(ScheduledCompaction.KEY, (read, key) -> ScheduledCompaction.period(read.text(key)));
        rules.put("wikiedits.compact.grace", (read, key) -> ParquetCompaction.Limits.of(read::text));
        rules.put("wikiedits.compact.memory-limit", (read, key) -> ParquetCompaction.Limits.of(read::text));
        rules.put("wikiedits.compact.threads", (read, key) -> ParquetCompaction.Limits.of(read::text));
        rules.put("wikiedits.queue.capacity", positive());
        rules.put("wikiedits.data.dir", required());
        rules.put(OpenSearchEndpoint.URL_SETTING, (read, key) -> {
            if (!read.text(key).isEmpty()) {
                OpenSearchEndpoint.of(read.text(key), read.text(OpenSearchEndpoint.USERNAME_SETTING),
                        read.text(OpenSearchEndpoint.PASSWORD_SETTING));
            }
        });
        rules.put(OpenSearchEndpoint.USERNAME_SETTING, text()); // checked with the URL: both or neither
        rules.put(OpenSearchEndpoint.PASSWORD_SETTING, text());
        rules.put("wikiedits.opensearch.embedded.http-port", port());
        rules.put("wikiedits.index.batch-size", positive());
        rules.put("wikiedits.index.linger-ms", wholeNumberFromZero());
        rules.put("wikiedits.http.host", required());
        rules.put("wikiedits.http.port", port());
        rules.put("wikiedits.progress.seconds", positive());
        rules.put("wikiedits.health.down-after-seconds", positive());
        rules.put("wikiedits.detectors.enabled", oneOf(value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("wikiedits.detectors.enabled must be true or false, not '" + value + "'");
            }
        }));
        for (String key : List.of("queue-capacity", "window-minutes", "baseline-minutes", "sketch-width",
                "page-surge.min-events", "page-surge.factor", "revert-burst.min-events", "revert-burst.factor",
                "bot-storm.min-events", "bot-storm.factor", "new-page-flood.min-events", "new-page-flood.factor")) {
            rules.put("wikiedits.detectors." + key, positive());
        }
        rules.put("wikiedits.detectors.warm-up-minutes", wholeNumberFromZero());
        rules.put("wikiedits.alerts.cooldown-minutes", positive());
        rules.put("wikiedits.alerts.webhook-url", httpUrl("https://hooks.slack.com/services/... (or empty: none)"));
        for (String key : List.of("webhook-per-minute", "webhook-attempts", "webhook-retry-ms")) {
            rules.put("wikiedits.alerts." + key, positive());
        }
        rules.put("wikiedits.aws.region", text());
        rules.put(AwsDelivery.KEY, oneOf(AwsDelivery::parse));
        rules.put("wikiedits.kinesis.stream", required());
        rules.put("wikiedits.kinesis.endpoint", httpUrl("http://127.0.0.1:4567 (or empty: AWS)"));
        for (String key : List.of("batch-records", "batch-bytes", "linger-ms", "retry-base-ms", "retry-max-ms", "poll-ms",
                "poll-records")) {
            rules.put("wikiedits.kinesis." + key, positive());
        }
        rules.put("wikiedits.s3.bucket", text());
        rules.put("wikiedits.s3.endpoint", httpUrl("http://127.0.0.1:8081 (or empty: AWS)"));
        // camel delivery's multipart uploads (shipped with the S3 lake upload); S3 parts are 5 MiB or more
        rules.put("wikiedits.s3.part-size", (read, key) -> {
            if (read.positive(key) < S3_MIN_PART_SIZE) {
                throw new IllegalArgumentException(key + " must be at least " + S3_MIN_PART_SIZE
                        + " (5 MiB, the smallest S3 multipart part), not " + read.text(key));
            }
        });
        rules.put("wikiedits.firehose.lake-stream", required());
        rules.put("wikiedits.firehose.index-stream", required());
        rules.put("wikiedits.firehose.endpoint", httpUrl(AWS_ENDPOINT_EXAMPLE));
        for (String key : List.of("linger-ms", "retry-base-ms", "retry-max-ms")) {
            rules.put("wikiedits.firehose." + key, positive());
        }
        rules.put("wikiedits.athena.workgroup", required());
        rules.put("wikiedits.athena.output", text());
        rules.put("wikiedits.athena.database", required());
        rules.put("wikiedits.athena.endpoint", httpUrl(AWS_ENDPOINT_EXAMPLE));
        for (String key : List.of("poll-ms", "timeout-seconds", "page-size")) {
            rules.put("wikiedits.athena." + key, positive());
        }
        return Map.copyOf(rules);
    }

    /**
     * @throws IllegalArgumentException naming every bad setting, one a line
     */
    public static void validate(Settings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** The message of every bad setting, in key order; empty when all are fine. */
    static List<String> problems(Settings settings) {
        SettingValues read = new SettingValues(settings::get);
        List<String> problems = new ArrayList<>();
        // every shipped key is present (application.properties holds its default); a rule for a key
        // this build does not ship applies once the key is there
        RULES.entrySet().stream().filter(rule -> settings.asMap().containsKey(rule.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(rule -> attempt(problems, () -> rule.getValue().check(read, rule.getKey()),
                        settings.environmentVariable(rule.getKey()).map(name -> " (from the environment variable " + name + ")")
                                .orElse("")));
        if (problems.isEmpty() && settings.get("wikiedits.mode").equals("aws")) {
            // the rules between settings: batch limits, delivery needs, distinct stream names
            attempt(problems, () -> AwsSettings.from(settings::get), "");
            attempt(problems, () -> FirehoseSettings.from(settings::get), "");
            attempt(problems, () -> AthenaSettings.from(settings::get), "");
        }
        return problems;
    }

    /**
     * {@code WIKIEDITS_*} environment variables that are no setting's but are read by others: the infra
     * scripts' ({@code infra/deploy}) and the tests'.
     */
    private static final List<String> OTHER_TOOLS_VARIABLES = List.of("WIKIEDITS_INFRA_", "WIKIEDITS_TEST_",
            "WIKIEDITS_REQUIRE_SAMPLES");

    /**
     * What to warn about before a command starts: settings given that the app does not read, as a key
     * ({@code -D} or ./application.properties) or as an environment variable (likely typos).
     */
    static List<String> warnings(Settings settings) {
        List<String> warnings = new ArrayList<>();
        unknownKeys(settings).forEach(key -> warnings.add("the setting " + key
                + " is not one the app reads (a typo?); java -jar camel-app.jar --help lists them"));
        settings.unmatchedEnvironmentVariables().stream()
                .filter(name -> OTHER_TOOLS_VARIABLES.stream().noneMatch(name::startsWith))
                .forEach(name -> warnings.add("the environment variable " + name + " is not one the app reads (a typo?);"
                        + " java -jar camel-app.jar --help lists the settings, whose variables are named like"
                        + " WIKIEDITS_SOURCE_URL for wikiedits.source.url"));
        return warnings;
    }

    /** The {@code wikiedits.*} keys set (as -D or in ./application.properties) that no part of the app reads: likely typos. */
    public static List<String> unknownKeys(Settings settings) {
        return settings.asMap().keySet().stream()
                .filter(key -> key.startsWith("wikiedits.") && !key.startsWith("wikiedits.test.") && !RULES.containsKey(key))
                .sorted().toList();
    }

    static Set<String> checkedKeys() {
        return RULES.keySet();
    }

    /** @param origin added to the message: where a value from outside the command line came from */
    private static void attempt(List<String> problems, Runnable check, String origin) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + origin);
        }
    }

    // ---- the rules ----

    private static Rule text() {
        return (read, key) -> { };
    }

    private static Rule required() {
        return (read, key) -> read.required(key);
    }

    private static Rule oneOf(Consumer<String> parse) {
        return (read, key) -> parse.accept(read.required(key));
    }

    private static Rule positive() {
        return (read, key) -> read.positive(key);
    }

    private static Rule wholeNumberFromZero() {
        return (read, key) -> {
            String value = read.required(key);
            try {
                if (Long.parseLong(value) >= 0) {
                    return;
                }
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw new IllegalArgumentException(key + " must be a whole number, 0 or more, not '" + Secrets.shown(key, value) + "'");
        };
    }

    private static Rule port() {
        return (read, key) -> {
            String value = read.required(key);
            try {
                int port = Integer.parseInt(value);
                if (port >= 1 && port <= 65535) {
                    return;
                }
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw new IllegalArgumentException(key + " must be a whole number from 1 to 65535 (a TCP port), not '" + value + "'");
        };
    }

    /** A decimal number, then the reader's own range check ({@code 0 or positive}). */
    private static Rule number(DoubleConsumer range) {
        return (read, key) -> {
            String value = read.required(key);
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
            }
            range.accept(number);
        };
    }

    private static Rule httpUrl(String example) {
        return (read, key) -> read.httpUrl(key, example);
    }
}
