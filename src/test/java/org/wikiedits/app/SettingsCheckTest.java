package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;

class SettingsCheckTest {

    private static Settings settings(Map<String, String> overrides) {
        Properties system = new Properties();
        system.putAll(overrides);
        return Settings.load(Map.of(), system, Path.of("no-such-application.properties"));
    }

    @Test
    void everySettingOfTheShippedApplicationPropertiesHasARule() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = SettingsCheck.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        assertThat(SettingsCheck.checkedKeys()).containsAll(shipped.stringPropertyNames().stream()
                .filter(key -> key.startsWith("wikiedits.")).collect(Collectors.toSet()));
    }

    @Test
    void theShippedDefaultsPassInBothModes() {
        assertThat(SettingsCheck.problems(settings(Map.of()))).isEmpty();
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.mode", "aws")))).isEmpty();
    }

    @Test
    void theValuesFromTheIssueAreEachRejectedWithOneShortLineThatNamesTheKey() {
        assertThat(SettingsCheck.problems(settings(Map.of(
                "wikiedits.queue.capacity", "abc",
                "wikiedits.http.port", "abc",
                "wikiedits.generator.rate", "abc")))).containsExactly(
                "wikiedits.generator.rate must be a number, not 'abc'",
                "wikiedits.http.port must be a whole number from 1 to 65535 (a TCP port), not 'abc'",
                "wikiedits.queue.capacity must be a positive whole number, not 'abc'");
    }

    @Test
    void rangesChoicesUrlsAndDatesAreCheckedByTheSameRulesTheAppReadsThemWith() {
        assertThat(SettingsCheck.problems(settings(Map.of(
                "wikiedits.opensearch.embedded.http-port", "70000",
                "wikiedits.index.linger-ms", "-1",
                "wikiedits.source.replay-speed", "-2",
                "wikiedits.sinks", "lake,disk",
                "wikiedits.mode", "cloud",
                "wikiedits.kinesis.endpoint", "localhost:4567",
                "wikiedits.source.since", "yesterday",
                "wikiedits.opensearch.url", "http://127.0.0.1:9200",
                "wikiedits.opensearch.username", "admin",
                "wikiedits.data.dir", " "))))
                .hasSize(9)
                .anySatisfy(line -> assertThat(line).startsWith("wikiedits.opensearch.embedded.http-port must be a whole number from 1 to 65535"))
                .anySatisfy(line -> assertThat(line).startsWith("wikiedits.index.linger-ms must be a whole number, 0 or more"))
                .anySatisfy(line -> assertThat(line).startsWith("wikiedits.source.replay-speed (sse option replaySpeed) must be 0"))
                .anySatisfy(line -> assertThat(line).isEqualTo("wikiedits.sinks must name one or more of the sinks lake, index (comma-separated), not 'lake,disk'"))
                .anySatisfy(line -> assertThat(line).isEqualTo("wikiedits.mode must be 'local' or 'aws', not 'cloud'"))
                .anySatisfy(line -> assertThat(line).startsWith("wikiedits.kinesis.endpoint must be an http(s) URL"))
                .anySatisfy(line -> assertThat(line).startsWith("wikiedits.source.since (sse option since) must be epoch milliseconds"))
                .anySatisfy(line -> assertThat(line).contains("wikiedits.opensearch.password").contains("both"))
                .anySatisfy(line -> assertThat(line).startsWith("No value for wikiedits.data.dir").doesNotContain("must"));
    }

    @Test
    void awsModeAddsTheRulesBetweenSettingsOnceEverySingleValueIsFine() {
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.mode", "aws", "wikiedits.aws.delivery", "camel"))))
                .singleElement().asString().startsWith("wikiedits.aws.delivery=camel writes the lake to S3: set wikiedits.s3.bucket");
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.aws.delivery", "camel")))).as("local mode").isEmpty();
    }

    @Test
    void theS3PartSizeIsCheckedWhenItIsSetAndMustBeAtLeastFiveMebibytes() {
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.s3.part-size", "5242880")))).isEmpty();
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.s3.part-size", "1048576")))).containsExactly(
                "wikiedits.s3.part-size must be at least 5242880 (5 MiB, the smallest S3 multipart part), not 1048576");
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.s3.part-size", "25MB")))).containsExactly(
                "wikiedits.s3.part-size must be a positive whole number, not '25MB'");
    }

    @Test
    void theDetectorsWarmUpMayBeZeroButNotNegative() {
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.detectors.warm-up-minutes", "0")))).isEmpty();
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.detectors.warm-up-minutes", "-5")))).singleElement().asString()
                .startsWith("wikiedits.detectors.warm-up-minutes must be a whole number, 0 or more");
    }

    @Test
    void validateThrowsOneLinePerBadSettingAndASecretValueIsNotEchoed() {
        assertThatThrownBy(() -> SettingsCheck.validate(settings(Map.of("wikiedits.lake.roll-seconds", "1m",
                "wikiedits.lake.roll-bytes", "64MB"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wikiedits.lake.roll-bytes must be a positive whole number, not '64MB'\n"
                        + "wikiedits.lake.roll-seconds must be a positive whole number, not '1m'");
        assertThat(SettingsCheck.problems(settings(Map.of("wikiedits.opensearch.url", "http://admin:hunter2@127.0.0.1:9200"))))
                .singleElement().asString().doesNotContain("hunter2");
    }

    @Test
    void aMistypedKeyIsReportedAsUnknownButTestSeamsAreNot() {
        assertThat(SettingsCheck.unknownKeys(settings(Map.of("wikiedits.http.prot", "9090", "wikiedits.test.crash-at", "x",
                "camel.main.name", "other")))).containsExactly("wikiedits.http.prot");
    }

    private static Settings fromEnvironment(Map<String, String> env) {
        return Settings.load(env, new Properties(), Path.of("no-such-application.properties"));
    }

    @Test
    void aBadValueFromAnEnvironmentVariableNamesTheVariable() {
        assertThat(SettingsCheck.problems(fromEnvironment(Map.of("WIKIEDITS_QUEUE_CAPACITY", "abc")))).containsExactly(
                "wikiedits.queue.capacity must be a positive whole number, not 'abc' (from the environment variable"
                        + " WIKIEDITS_QUEUE_CAPACITY)");
    }

    @Test
    void aMistypedEnvironmentVariableIsWarnedAboutLikeAMistypedKeyButTheScriptsOwnAreNot() {
        assertThat(SettingsCheck.warnings(fromEnvironment(Map.of("WIKIEDITS_QUEUE_CAPACTY", "5", "WIKIEDITS_QUEUE_CAPACITY", "6",
                "WIKIEDITS_INFRA_STACK", "wikiedits", "WIKIEDITS_REQUIRE_SAMPLES", "1", "PATH", "/bin"))))
                .containsExactly("the environment variable WIKIEDITS_QUEUE_CAPACTY is not one the app reads (a typo?);"
                        + " java -jar camel-app.jar --help lists the settings, whose variables are named like"
                        + " WIKIEDITS_SOURCE_URL for wikiedits.source.url");
        assertThat(SettingsCheck.warnings(settings(Map.of("wikiedits.http.prot", "9090"))))
                .containsExactly("the setting wikiedits.http.prot is not one the app reads (a typo?); java -jar camel-app.jar"
                        + " --help lists them");
    }
}
