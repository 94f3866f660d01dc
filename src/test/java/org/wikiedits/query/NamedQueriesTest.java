package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamedQueriesTest {

    @Test
    void everyQueryReadsTheViewOfEachEventOnceWithTwoDateParametersButTotalCountsTheRawRecords() {
        for (NamedQueries.NamedQuery query : NamedQueries.all()) {
            assertThat(query.name()).matches("[a-z_]+");
            // every event once (the batch layer's view), so rows are events; total counts the raw records and their repeats
            boolean total = query == NamedQueries.TOTAL;
            assertThat(query.sql()).as(query.name()).contains("FROM " + (total ? LakeSql.VIEW : BatchTables.ALL) + "\n")
                    .contains("dt BETWEEN ? AND ?").contains("{limit}");
            if (total) {
                assertThat(query.sql()).contains("count(DISTINCT event_id)");
            }
            assertThat(query.sql().chars().filter(c -> c == '?').count()).as(query.name()).isEqualTo(2);
        }
    }

    @Test
    void bindingADayGivesThatDayTwiceAndNoDayGivesEveryDay() {
        NamedQueries.BoundQuery day = NamedQueries.TOTAL.bind(Optional.of(LocalDate.parse("2026-08-04")), 5);
        NamedQueries.BoundQuery all = NamedQueries.TOTAL.bind(Optional.empty(), 5);

        assertThat(day.parameters()).containsExactly("2026-08-04", "2026-08-04");
        assertThat(day.athenaExecutionParameters()).containsExactly("'2026-08-04'", "'2026-08-04'");
        assertThat(all.parameters()).containsExactly("0000-01-01", "9999-12-31");
        assertThat(day.sql()).endsWith("LIMIT 5").doesNotContain("{limit}");
    }

    @Test
    void limitsOutsideTheRangeAreRejected() {
        assertThatThrownBy(() -> NamedQueries.TOTAL.bind(Optional.empty(), 0)).hasMessageContaining("--limit");
        assertThatThrownBy(() -> NamedQueries.TOTAL.bind(Optional.empty(), NamedQueries.MAX_LIMIT + 1))
                .hasMessageContaining("--limit");
    }

    @Test
    void unknownNamesAndNonDatesAreRejectedWithWhatIsValid() {
        assertThatThrownBy(() -> NamedQueries.byName("total; DROP"))
                .hasMessage("no query named 'total; DROP'; the queries are: daily_counts, bot_share, top_pages, total, hourly_counts, top_wikis, most_edited");
        assertThatThrownBy(() -> NamedQueries.parseDate("2026-8-4")).hasMessageContaining("YYYY-MM-DD");
        assertThat(NamedQueries.byName("top_pages")).isSameAs(NamedQueries.TOP_PAGES);
    }
}
