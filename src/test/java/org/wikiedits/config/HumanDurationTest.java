package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

    @Test
    void aLagOfDaysReadsAsDaysAndHoursNotMillionsOfSeconds() {
        assertThat(HumanDuration.format(Duration.ofMillis(6_450_167_900L))).isEqualTo("74d 15h");
        assertThat(HumanDuration.format(Duration.ofDays(74).plusHours(3).plusMinutes(59))).isEqualTo("74d 3h");
        assertThat(HumanDuration.format(Duration.ofDays(2))).isEqualTo("2d");
    }

    @Test
    void hoursReadAsHoursAndMinutes() {
        assertThat(HumanDuration.format(Duration.ofMinutes(107).plusSeconds(59))).isEqualTo("1h 47m");
        assertThat(HumanDuration.format(Duration.ofMinutes(63))).isEqualTo("1h 3m");
        assertThat(HumanDuration.format(Duration.ofHours(5))).isEqualTo("5h");
        assertThat(HumanDuration.format(Duration.ofHours(23).plusMinutes(59).plusSeconds(59))).isEqualTo("23h 59m");
    }

    @Test
    void minutesReadAsMinutesAndSeconds() {
        assertThat(HumanDuration.format(Duration.ofSeconds(90))).isEqualTo("1m 30s");
        assertThat(HumanDuration.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(HumanDuration.format(Duration.ofSeconds(3599))).isEqualTo("59m 59s");
    }

    @Test
    void secondsAreWholeFromTenOnAndHaveTenthsBelow() {
        assertThat(HumanDuration.format(Duration.ofMillis(12_900))).isEqualTo("12s");
        assertThat(HumanDuration.format(Duration.ofMillis(59_999))).isEqualTo("59s");
        assertThat(HumanDuration.format(Duration.ofMillis(1_500))).isEqualTo("1.5s");
        assertThat(HumanDuration.format(Duration.ofMillis(9_999))).isEqualTo("9.9s");
        assertThat(HumanDuration.format(Duration.ofSeconds(8))).isEqualTo("8s");
    }

    @Test
    void belowASecondItCountsMilliseconds() {
        assertThat(HumanDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0ms");
    }

    @Test
    void anEventFromTheFutureGivesANegativeLagWithASign() {
        assertThat(HumanDuration.format(Duration.ofMillis(-2_500))).isEqualTo("-2.5s");
    }
}
