package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AthenaSettingsTest {

    private final Map<String, String> values = new HashMap<>(Map.of(
            "wikiedits.athena.workgroup", "wikiedits",
            "wikiedits.athena.output", "",
            "wikiedits.athena.database", "wikiedits",
            "wikiedits.athena.endpoint", "",
            "wikiedits.athena.poll-ms", "500",
            "wikiedits.athena.timeout-seconds", "300",
            "wikiedits.athena.page-size", "1000"));

    @Test
    void thePackagedDefaultsGiveTheWorkgroupsOutputLocationAndTheAwsEndpoint() {
        AthenaSettings settings = AthenaSettings.from(values::get);

        assertThat(settings).isEqualTo(new AthenaSettings("wikiedits", Optional.empty(), "wikiedits", Optional.empty(),
                Duration.ofMillis(500), Duration.ofSeconds(300), 1000));
        assertThat(settings.componentProperties("eu-west-1")).containsExactly(
                Map.entry("camel.component.aws2-athena.region", "eu-west-1"),
                Map.entry("camel.component.aws2-athena.override-endpoint", "false"));
    }

    @Test
    void anEndpointOverrideSwitchesTheComponentsOverrideOn() {
        values.put("wikiedits.athena.endpoint", "http://127.0.0.1:5000");
        values.put("wikiedits.athena.output", "s3://results/athena/");

        AthenaSettings settings = AthenaSettings.from(values::get);

        assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:5000"));
        assertThat(settings.output()).contains("s3://results/athena/");
        assertThat(settings.componentProperties("us-east-1"))
                .containsEntry("camel.component.aws2-athena.override-endpoint", "true")
                .containsEntry("camel.component.aws2-athena.uri-endpoint-override", "http://127.0.0.1:5000")
                .containsEntry("camel.component.aws2-athena.output-location", "s3://results/athena/");
    }

    @Test
    void invalidValuesAreRejectedWithWhatToSet() {
        assertRejected("wikiedits.athena.workgroup", "", "No value for wikiedits.athena.workgroup");
        assertRejected("wikiedits.athena.workgroup", "a b", "must be an Athena workgroup name");
        assertRejected("wikiedits.athena.output", "https://bucket/", "must be an s3:// location");
        assertRejected("wikiedits.athena.database", "Wiki-Edits", "must be a Glue database name");
        assertRejected("wikiedits.athena.endpoint", "127.0.0.1:5000", "must be an http(s) URL");
        assertRejected("wikiedits.athena.poll-ms", "0", "must be a positive whole number");
        assertRejected("wikiedits.athena.timeout-seconds", "soon", "must be a positive whole number");
        assertRejected("wikiedits.athena.page-size", "1001", "at most 1000");
    }

    private void assertRejected(String key, String value, String message) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        assertThatThrownBy(() -> AthenaSettings.from(copy::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
