package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTest {

    @Test
    void sinceIsEpochMillisecondsOrAnIso8601DateOrTime() {
        Instant expected = Instant.parse("2026-08-04T15:00:00Z");
        assertThat(Since.parse("1785855600000")).isEqualTo(expected);
        assertThat(Since.parse("2026-08-04T15:00:00Z")).isEqualTo(expected);
        assertThat(Since.parse("2026-08-04T17:00:00+02:00")).isEqualTo(expected);
        assertThat(Since.parse("2026-08-04T15:00:00")).isEqualTo(expected);
        assertThat(Since.parse("2026-08-04")).isEqualTo(Instant.parse("2026-08-04T00:00:00Z"));
    }

    @Test
    void anUnreadableSinceSaysWhatIsExpected() {
        assertThatThrownBy(() -> Since.parse("last tuesday"))
                .hasMessageContaining("wikiedits.source.since")
                .hasMessageContaining("epoch")
                .hasMessageContaining("last tuesday");
    }

    @Test
    void aFirstEventMoreThanAMinuteAfterSinceIsAGap() {
        Instant since = Instant.parse("2026-08-01T00:00:00Z");
        assertThat(Since.gap(since, since.plusSeconds(59))).isEmpty();
        assertThat(Since.gap(since, since.minusSeconds(5))).isEmpty();
        assertThat(Since.gap(since, since.plus(Duration.ofDays(3)))).hasValue(Duration.ofDays(3));
    }

    @Test
    void theTimeOfAnIdIsItsNewestTimestampAndNoneForOffsetIds() {
        assertThat(Since.timeInId("[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":1785855600000},"
                + "{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"timestamp\":1785855000000}]"))
                .hasValue(Instant.parse("2026-08-04T15:00:00Z"));
        assertThat(Since.timeInId("[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":6387234775}]")).isEmpty();
        assertThat(Since.timeInId("[{\"timestamp\":\"soon\"}]")).isEmpty();
        assertThat(Since.timeInId("[{\"timestamp\": not json")).isEmpty();
        assertThat(Since.timeInId("17")).isEmpty();
        assertThat(Since.timeInId(null)).isEmpty();
    }
}
