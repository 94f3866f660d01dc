package org.wikiedits.query.athena;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;

/**
 * One query execution on Athena as the route drives it: started, polled until it reaches a final
 * state (SUCCEEDED, FAILED, CANCELLED) or its deadline, then read page by page. Holds the decisions
 * the route's loops ask for, so that the YAML has no logic. Not thread-safe: it lives in one exchange.
 */
public final class AthenaQueryRun {

    private final NamedQueries.BoundQuery query;
    private final String executionId;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final long deadline;
    private QueryExecutionState state = QueryExecutionState.QUEUED;
    private String reason = "";
    private int polls;
    private final AthenaResults results = new AthenaResults();
    private String nextToken;

    /**
     * @param timeout  how long the query may take, from now
     * @param nanoTime the clock ({@code System::nanoTime}; tests move it by hand)
     */
    public AthenaQueryRun(NamedQueries.BoundQuery query, String executionId, Duration timeout, LongSupplier nanoTime) {
        this.query = query;
        this.executionId = executionId;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        this.deadline = nanoTime.getAsLong() + timeout.toNanos();
    }

    /** Takes the state from a GetQueryExecution answer. */
    public void observe(GetQueryExecutionResponse response) {
        polls++;
        QueryExecutionStatus status = response.queryExecution().status();
        state = status.state();
        if (status.athenaError() != null && status.athenaError().errorMessage() != null) {
            reason = status.athenaError().errorMessage();
        } else if (status.stateChangeReason() != null) {
            reason = status.stateChangeReason();
        }
    }

    /** Whether to poll again: the query has not reached a final state and the deadline has not passed. */
    public boolean stillRunning() {
        return !isFinal() && nanoTime.getAsLong() - deadline < 0;
    }

    /** The query has reached a final state. */
    public boolean isFinal() {
        return state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED
                || state == QueryExecutionState.CANCELLED;
    }

    /** After polling: returns when the query SUCCEEDED; otherwise says why not (the caller cancels a timed-out query). */
    public void requireSucceeded() {
        if (state == QueryExecutionState.SUCCEEDED) {
            return;
        }
        String what = "Athena query " + executionId + " (" + query.query().name() + ")";
        if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
            throw new AthenaQueryException(what + " " + state + (reason.isEmpty() ? "" : ": " + reason), false);
        }
        throw new AthenaQueryException(what + " did not finish within " + timeout.toSeconds() + " s (still " + state
                + " after " + polls + " polls; raise wikiedits.athena.timeout-seconds)", true);
    }

    /** Whether GetQueryResults has more to give: before the first page, and while a page carried a NextToken. */
    public boolean morePages() {
        return results.pages() == 0 || nextToken != null;
    }

    /** Adds a GetQueryResults page; its NextToken (if any) is what the next call sends. */
    public void addPage(GetQueryResultsResponse page) {
        results.add(page);
        nextToken = page.nextToken();
    }

    public NamedQueries.Result result() {
        return results.result();
    }

    public String executionId() {
        return executionId;
    }

    public QueryExecutionState state() {
        return state;
    }

    public int polls() {
        return polls;
    }

    public int pages() {
        return results.pages();
    }
}
