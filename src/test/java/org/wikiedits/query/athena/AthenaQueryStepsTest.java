package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

class AthenaQueryStepsTest {

    @Test
    void theStartRequestCarriesTheNamedQueriesSqlUnchangedAndTheDatesAsExecutionParameters() {
        NamedQueries.BoundQuery query = NamedQueries.DAILY_COUNTS.bind(Optional.of(LocalDate.of(2026, 8, 4)), 50);

        StartQueryExecutionRequest request = AthenaQuerySteps.startRequest(query, "wikiedits", "s3://results/athena/", "lake");

        assertThat(request.queryString()).isEqualTo(query.sql()).contains("dt BETWEEN ? AND ?").contains("LIMIT 50")
                .doesNotContain("2026-08-04");
        assertThat(request.executionParameters()).containsExactly("'2026-08-04'", "'2026-08-04'");
        assertThat(request.workGroup()).isEqualTo("wikiedits");
        assertThat(request.resultConfiguration().outputLocation()).isEqualTo("s3://results/athena/");
        assertThat(request.queryExecutionContext().database()).isEqualTo("lake");
    }

    @Test
    void anEmptyOutputLocationIsLeftToTheWorkgroup() {
        StartQueryExecutionRequest request = AthenaQuerySteps.startRequest(NamedQueries.TOTAL.bind(Optional.empty(), 1),
                "wikiedits", "", "wikiedits");

        assertThat(request.resultConfiguration()).isNull();
        assertThat(request.executionParameters()).containsExactly("'0000-01-01'", "'9999-12-31'");
    }
}
