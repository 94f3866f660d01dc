package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ApiParametersTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-30");

    @Test
    void anAbsentLimitIsTheDefaultAndAGivenOneMustBeFrom1To50() {
        assertThat(ApiParameters.limit(null)).isEqualTo(10);
        assertThat(ApiParameters.limit("")).isEqualTo(10);
        assertThat(ApiParameters.limit("1")).isEqualTo(1);
        assertThat(ApiParameters.limit("50")).isEqualTo(50);
        for (String bad : new String[] {"0", "51", "-1", "1e2", " 5", "5;", "99999999999999999999"}) {
            assertThatThrownBy(() -> ApiParameters.limit(bad)).as(bad).hasMessageStartingWith("limit must be a whole number");
        }
    }

    @Test
    void anAbsentRangeIsTheLastSevenDaysUpToToday() {
        assertThat(ApiParameters.days(null, null, TODAY))
                .isEqualTo(new ApiParameters.DayRange(LocalDate.parse("2026-11-24"), TODAY));
        assertThat(ApiParameters.days(null, "2026-01-07", TODAY))
                .isEqualTo(new ApiParameters.DayRange(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-07")));
    }

    @Test
    void daysMustBeIsoDatesInOrderAndAtMostAYearApart() {
        assertThatThrownBy(() -> ApiParameters.days("2026-1-1", null, TODAY)).hasMessage("from must be a day as YYYY-MM-DD, not '2026-1-1'");
        assertThatThrownBy(() -> ApiParameters.days(null, "2026-02-30", TODAY)).hasMessageContaining("to must be a day as YYYY-MM-DD");
        assertThatThrownBy(() -> ApiParameters.days("2026-11-30' OR 1=1 --", null, TODAY))
                .hasMessageContaining("from must be a day as YYYY-MM-DD, not '2026-11-30' OR 1=1 -...'");
        assertThatThrownBy(() -> ApiParameters.days("2026-11-30", "2026-11-29", TODAY)).hasMessageContaining("must not be after");
        assertThat(ApiParameters.days("2025-11-30", "2026-11-30", TODAY).from()).isEqualTo(LocalDate.parse("2025-11-30"));
        assertThatThrownBy(() -> ApiParameters.days("2025-11-29", "2026-11-30", TODAY)).hasMessageContaining("at most 366 days, not 367");
    }

    @Test
    void anAbsentWindowIsTheLast15MinutesAndAGivenOneMustBeAChoice() {
        assertThat(ApiParameters.window(null)).isEqualTo(LiveWindow.Span.MINUTES_15);
        assertThat(ApiParameters.window("all")).isEqualTo(LiveWindow.Span.ALL);
        assertThat(ApiParameters.window("24h")).isEqualTo(LiveWindow.Span.DAY);
        assertThatThrownBy(() -> ApiParameters.window("2h")).hasMessage("window must be one of 15m, 1h, 24h, all, not '2h'");
        assertThatThrownBy(() -> ApiParameters.window("ALL")).hasMessageStartingWith("window must be one of");
    }

    @Test
    void aParameterTheEndpointDoesNotKnowIsRefusedNamingTheKnownOnes() {
        java.util.List<String> known = java.util.List.of("limit", "window");
        ApiParameters.onlyKnown(null, "/api/live/", known);
        ApiParameters.onlyKnown("limit=5&window=all", "/api/live/", known);
        assertThatThrownBy(() -> ApiParameters.onlyKnown("limt=5", "/api/live/", known))
                .hasMessage("unknown parameter 'limt'; /api/live/ knows limit, window");
        assertThatThrownBy(() -> ApiParameters.onlyKnown("limit=5&Set-Cookie=x", "/api/live/", known))
                .hasMessageStartingWith("unknown parameter 'Set-Cookie'");
        assertThatThrownBy(() -> ApiParameters.onlyKnown("lim%69t=5", "/api/pipeline", java.util.List.of()))
                .hasMessage("unknown parameter 'limit'; /api/pipeline takes no parameters");
    }
}
