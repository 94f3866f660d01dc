package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that decide between re-sending an item and dead-lettering it, and the reason text kept. */
class IndexWriterTest {

    @Test
    void overloadServerErrorsAndOperatorFixableAnswersAreRetried() {
        assertThat(List.of(429, 500, 502, 503, 401, 403, 404, 408, 409))
                .allSatisfy(status -> assertThat(IndexWriter.isRetryable(status)).as("HTTP %d", status).isTrue());
    }

    @Test
    void otherClientErrorsAreRejectedForGood() {
        assertThat(List.of(400, 405, 413, 422))
                .allSatisfy(status -> assertThat(IndexWriter.isRetryable(status)).as("HTTP %d", status).isFalse());
    }

    @Test
    void theReasonKeepsOpenSearchsErrorTypeAndItsCause() throws Exception {
        String error = """
                {"type":"mapper_parsing_exception","reason":"failed to parse field [namespace] of type [integer]",
                 "caused_by":{"type":"number_format_exception","reason":"For input string: \\"x\\""}}""";

        assertThat(IndexWriter.reason(new ObjectMapper().readTree(error))).isEqualTo(
                "mapper_parsing_exception: failed to parse field [namespace] of type [integer]"
                        + " (caused by number_format_exception: For input string: \"x\")");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(new long[] {backoff.delayMillis(1), backoff.delayMillis(2), backoff.delayMillis(3),
                backoff.delayMillis(4), backoff.delayMillis(100)}).containsExactly(200, 400, 800, 1000, 1000);
    }
}
