package org.wikiedits.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FirehoseSettingsTest {

    @Test
    void thePackagedDefaultsNameTheTwoStreamsAndUseAws() throws Exception {
        FirehoseSettings settings = FirehoseSettings.from(packaged()::get);

        assertThat(settings).isEqualTo(new FirehoseSettings("wikiedits-lake", "wikiedits-index", "", Optional.empty(),
                500, 100, 10000));
    }

    @Test
    void anEndpointOverrideIsAnHttpUrl() throws Exception {
        Map<String, String> values = packaged();
        values.put("wikiedits.firehose.endpoint", "http://127.0.0.1:5000");

        assertThat(FirehoseSettings.from(values::get).endpoint()).contains(URI.create("http://127.0.0.1:5000"));
    }

    @Test
    void invalidValuesAreRejectedWithWhatToSet() throws Exception {
        assertRejected("wikiedits.firehose.lake-stream", "", "No value for wikiedits.firehose.lake-stream");
        assertRejected("wikiedits.firehose.index-stream", "wikiedits index", "must be a Firehose delivery stream name");
        assertRejected("wikiedits.firehose.index-stream", "wikiedits-lake", "two different delivery streams");
        assertRejected("wikiedits.firehose.endpoint", "localhost:5000", "must be an http(s) URL");
        assertRejected("wikiedits.firehose.linger-ms", "0", "must be a positive whole number");
        assertRejected("wikiedits.firehose.retry-base-ms", "-1", "must be a positive whole number");
    }

    private void assertRejected(String key, String value, String message) throws Exception {
        Map<String, String> values = packaged();
        values.put(key, value);
        assertThatThrownBy(() -> FirehoseSettings.from(values::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static Map<String, String> packaged() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = FirehoseSettingsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        return values;
    }
}
