package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.OperationType;

/** The rules that decide between acknowledging an item, re-sending it and dead-lettering it, and the reason kept. */
class BulkOutcomeTest {

    @Test
    void overloadServerErrorsAndOperatorFixableAnswersAreRetried() {
        assertThat(List.of(429, 500, 502, 503, 401, 403, 404, 408, 409))
                .allSatisfy(status -> assertThat(BulkOutcome.isRetryable(status)).as("HTTP %d", status).isTrue());
    }

    @Test
    void otherClientErrorsAreRejectedForGood() {
        assertThat(List.of(400, 405, 413, 422))
                .allSatisfy(status -> assertThat(BulkOutcome.isRetryable(status)).as("HTTP %d", status).isFalse());
    }

    @Test
    void eachItemIsSortedByItsStatusInRequestOrder() {
        List<IndexDocument> sent = List.of(document(1), document(2), document(3), document(4));
        List<BulkResponseItem> items = List.of(item("id-1", 201, null), item("id-2", 429, error("es_rejected_execution_exception", "queue full", null)),
                item("id-3", 400, error("mapper_parsing_exception", "failed to parse field [namespace]", null)), item("id-4", 200, null));

        BulkOutcome outcome = BulkOutcome.of(sent, items);

        assertThat(outcome.acknowledged()).containsExactly(sent.get(0), sent.get(3));
        assertThat(outcome.retry()).containsExactly(sent.get(1));
        assertThat(outcome.retryReason()).isEqualTo("HTTP 429 es_rejected_execution_exception: queue full");
        assertThat(outcome.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.document()).isEqualTo(sent.get(2));
            assertThat(rejected.reason()).isEqualTo("mapper_parsing_exception: failed to parse field [namespace]");
        });
    }

    @Test
    void theReasonKeepsOpenSearchsErrorTypeAndItsCause() {
        ErrorCause error = error("mapper_parsing_exception", "failed to parse field [namespace] of type [integer]",
                error("number_format_exception", "For input string: \"x\"", null));

        assertThat(BulkOutcome.reason(error)).isEqualTo("mapper_parsing_exception: failed to parse field [namespace] of type [integer]"
                + " (caused by number_format_exception: For input string: \"x\")");
    }

    @Test
    void onlyItemsWithTheResultCreatedCountAsNewToTheIndex() {
        List<IndexDocument> sent = List.of(document(1), document(2), document(3));
        List<BulkResponseItem> items = List.of(
                new BulkResponseItem.Builder().operationType(OperationType.Index).index("wikiedits").id("id-1").status(201)
                        .result("created").build(),
                new BulkResponseItem.Builder().operationType(OperationType.Index).index("wikiedits").id("id-2").status(200)
                        .result("updated").build(),
                new BulkResponseItem.Builder().operationType(OperationType.Index).index("wikiedits").id("id-3").status(201)
                        .result("created").build());

        BulkOutcome outcome = BulkOutcome.of(sent, items);

        assertThat(outcome.acknowledged()).hasSize(3);
        assertThat(outcome.created()).isEqualTo(2);
    }

    static BulkResponseItem item(String id, int status, ErrorCause error) {
        BulkResponseItem.Builder item = new BulkResponseItem.Builder().operationType(OperationType.Index)
                .index("wikiedits").id(id).status(status);
        if (error != null) {
            item.error(error);
        }
        return item.build();
    }

    static ErrorCause error(String type, String reason, ErrorCause cause) {
        ErrorCause.Builder error = new ErrorCause.Builder().type(type).reason(reason);
        if (cause != null) {
            error.causedBy(cause);
        }
        return error.build();
    }

    private static IndexDocument document(long seq) {
        return new IndexDocument("id-" + seq, "{}", null, seq, null);
    }
}
