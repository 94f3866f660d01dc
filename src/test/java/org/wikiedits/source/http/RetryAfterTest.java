package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link RetryAfter}: the server's {@code Retry-After}, which wins over the reconnect backoff. */
class RetryAfterTest {

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-08-04T15:24:29Z");
        assertThat(RetryAfter.parse("120", now)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", now)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse("Tue, 04 Aug 2026 15:24:59 GMT", now)).hasValue(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Tue, 04 Aug 2026 15:00:00 GMT", now)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isEmpty();
        assertThat(RetryAfter.parse("", now)).isEmpty();
        assertThat(RetryAfter.parse(null, now)).isEmpty();
    }
}
