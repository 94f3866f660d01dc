package org.wikiedits.ops;

import java.util.List;

/**
 * The pipeline's health: UP; DEGRADED when it runs but something needs attention (a sink is
 * retrying, the source is disconnected or far behind); DOWN when it cannot make progress.
 */
public record HealthReport(Status status, List<String> reasons) {

    public enum Status { UP, DEGRADED, DOWN }

    /** HTTP status for load balancers: 200 while the pipeline makes progress, 503 when DOWN. */
    public int httpStatus() {
        return status == Status.DOWN ? 503 : 200;
    }
}
