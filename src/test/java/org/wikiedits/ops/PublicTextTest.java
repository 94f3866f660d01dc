package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublicTextTest {

    @Test
    void urlsAndAbsolutePathsAreReplacedAndTheProblemStays() {
        assertThat(PublicText.withoutLocations("The index at http://127.0.0.1:9200 answered 503"))
                .isEqualTo("The index at <url> answered 503");
        assertThat(PublicText.withoutLocations("cannot write to /tmp/junit-1/lake: No space left on device"))
                .isEqualTo("cannot write to <path>: No space left on device");
        assertThat(PublicText.withoutLocations("DuckDB over C:\\data\\lake failed"))
                .isEqualTo("DuckDB over <path> failed");
        assertThat(PublicText.withoutLocations("/srv/data/state/checkpoint.json is not readable"))
                .isEqualTo("<path> is not readable");
    }

    @Test
    void textWithoutLocationsIsUnchanged() {
        String text = "lag: 3 min behind the stream at 40 events/s; 1/2 sinks retrying (HTTP 429)";
        assertThat(PublicText.withoutLocations(text)).isEqualTo(text);
    }
}
