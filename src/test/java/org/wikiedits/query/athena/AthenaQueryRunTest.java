package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.Row;

class AthenaQueryRunTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AthenaQueryRun run = new AthenaQueryRun(NamedQueries.TOTAL.bind(Optional.empty(), 1), "q-1",
            Duration.ofSeconds(10), now::get);

    @Test
    void aStartedQueryIsPolledUntilItSucceeds() {
        assertThat(run.stillRunning()).isTrue();
        run.observe(status(QueryExecutionState.QUEUED, null));
        assertThat(run.stillRunning()).isTrue();
        run.observe(status(QueryExecutionState.RUNNING, null));
        assertThat(run.stillRunning()).isTrue();
        run.observe(status(QueryExecutionState.SUCCEEDED, null));

        assertThat(run.stillRunning()).isFalse();
        run.requireSucceeded();
        assertThat(run.polls()).isEqualTo(3);
    }

    @Test
    void aFailedQueryStopsThePollingAndReportsAthenasReason() {
        run.observe(GetQueryExecutionResponse.builder().queryExecution(QueryExecution.builder().status(
                QueryExecutionStatus.builder().state(QueryExecutionState.FAILED).stateChangeReason("generic")
                        .athenaError(AthenaError.builder().errorMessage("TABLE_NOT_FOUND: wikiedits_v").build()).build())
                .build()).build());

        assertThat(run.stillRunning()).isFalse();
        assertThatThrownBy(run::requireSucceeded).isInstanceOf(AthenaQueryException.class)
                .hasMessageContaining("q-1").hasMessageContaining("total").hasMessageContaining("FAILED")
                .hasMessageContaining("TABLE_NOT_FOUND: wikiedits_v")
                .matches(e -> !((AthenaQueryException) e).timedOut());
    }

    @Test
    void aCancelledQueryIsReportedWithItsReason() {
        run.observe(status(QueryExecutionState.CANCELLED, "cancelled by user"));

        assertThat(run.stillRunning()).isFalse();
        assertThatThrownBy(run::requireSucceeded).hasMessageContaining("CANCELLED: cancelled by user");
    }

    @Test
    void pollingEndsAtTheDeadlineAndTheQueryCountsAsTimedOut() {
        run.observe(status(QueryExecutionState.RUNNING, null));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(run.stillRunning()).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(run.stillRunning()).isFalse();
        assertThatThrownBy(run::requireSucceeded).isInstanceOf(AthenaQueryException.class)
                .hasMessageContaining("did not finish within 10 s").hasMessageContaining("RUNNING")
                .hasMessageContaining("wikiedits.athena.timeout-seconds")
                .matches(e -> ((AthenaQueryException) e).timedOut());
    }

    @Test
    void pagesAreFetchedWhileTheLastOneCarriedANextToken() {
        assertThat(run.morePages()).isTrue();
        run.addPage(page("t-2", "records", "records", "4"));
        assertThat(run.morePages()).isTrue();
        run.addPage(page(null, "records", "5"));

        assertThat(run.morePages()).isFalse();
        assertThat(run.pages()).isEqualTo(2);
        assertThat(run.result().rows()).containsExactly(List.of(4L), List.of(5L));
    }

    private static GetQueryExecutionResponse status(QueryExecutionState state, String reason) {
        return GetQueryExecutionResponse.builder().queryExecution(QueryExecution.builder().queryExecutionId("q-1")
                .status(QueryExecutionStatus.builder().state(state).stateChangeReason(reason).build()).build()).build();
    }

    /** A page of one bigint column {@code column}, one row per value (the first page repeats the label first). */
    static GetQueryResultsResponse page(String nextToken, String column, String... values) {
        Row[] rows = Arrays.stream(values).map(AthenaResultsTest::row).toArray(Row[]::new);
        return AthenaResultsTest.page(List.of(AthenaResultsTest.column(column, "bigint")), rows).toBuilder()
                .nextToken(nextToken).build();
    }
}
