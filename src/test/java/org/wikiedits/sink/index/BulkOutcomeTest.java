package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.stream.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.OperationType;

/**
 * The rules that decide between acknowledging an item, holding it (re-sent with back-off) and dead-lettering it,
 * and the reason kept. The answers under {@code bulk-answers/} are real ones of an OpenSearch 2.19 node.
 */
class BulkOutcomeTest {

    private static final JsonpMapper MAPPER = new JacksonJsonpMapper();

    @Test
    void everyItemIntoAClosedIndexIsHeldNotDeadLettered() {
        BulkOutcome outcome = outcome("index-closed.json");

        assertThat(outcome.rejected()).as("a closed index says nothing about the documents").isEmpty();
        assertThat(outcome.retry()).hasSize(2);
        assertThat(outcome.retryReason()).contains("index_closed_exception");
    }

    @Test
    void aWriteBlockAndAFloodStageBlockHoldTheDocuments() {
        assertThat(List.of("write-block.json", "flood-stage-block.json")).allSatisfy(answer -> {
            BulkOutcome outcome = outcome(answer);
            assertThat(outcome.rejected()).as(answer).isEmpty();
            assertThat(outcome.retry()).as(answer).hasSize(1);
            assertThat(outcome.retryReason()).as(answer).contains("cluster_block_exception");
        });
    }

    @Test
    void aMissingIndexWithoutAutoCreationHoldsTheDocuments() {
        BulkOutcome outcome = outcome("index-not-found.json");

        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.retryReason()).contains("index_not_found_exception");
    }

    @Test
    void anIllegalArgumentAboutTheIndexNotAFieldHoldsTheDocuments() {
        BulkOutcome outcome = outcome("alias-without-write-index.json");

        assertThat(outcome.rejected()).as("no write index for the alias: the operator's to fix, not the document's").isEmpty();
        assertThat(outcome.retry()).hasSize(1);
    }

    @Test
    void errorsAboutTheDocumentItselfGoToTheDeadLetters() {
        assertThat(List.of("mapper-parsing.json", "immense-term.json", "strict-dynamic-mapping.json", "log-type-conflict.json"))
                .allSatisfy(answer -> {
                    BulkOutcome outcome = outcome(answer);
                    assertThat(outcome.retry()).as(answer).isEmpty();
                    assertThat(outcome.rejected()).as(answer).singleElement().satisfies(rejected ->
                            assertThat(rejected.reason()).startsWith(errorType(answer)));
                });
    }

    @Test
    void anUnknownErrorTypeIsHeldWhateverItsStatus() {
        List<IndexDocument> sent = List.of(document(1), document(2));
        BulkOutcome outcome = BulkOutcome.of(sent, List.of(item("id-1", 400, error("brand_new_exception", "something new", null)),
                item("id-2", 201, null)));

        assertThat(outcome.rejected()).isEmpty();
        assertThat(outcome.retry()).containsExactly(sent.get(0));
        assertThat(outcome.acknowledged()).containsExactly(sent.get(1));
    }

    @Test
    void theKindOfARefusalIsDecidedByItsTypeNotItsStatus() {
        assertThat(RefusalKind.of(error("index_closed_exception", "closed", null))).isEqualTo(RefusalKind.INDEX);
        assertThat(RefusalKind.of(error("cluster_block_exception", "index [wikiedits] blocked by: [FORBIDDEN/8/index write (api)];", null)))
                .isEqualTo(RefusalKind.INDEX);
        assertThat(RefusalKind.of(error("rejected_execution_exception", "queue full", null))).isEqualTo(RefusalKind.INDEX);
        assertThat(RefusalKind.of(error("security_exception", "no permissions for [indices:data/write/bulk[s]]", null)))
                .isEqualTo(RefusalKind.INDEX);
        assertThat(RefusalKind.of(error("mapper_parsing_exception", "failed to parse", null))).isEqualTo(RefusalKind.DOCUMENT);
        assertThat(RefusalKind.of(error("illegal_argument_exception", "Document contains at least one immense term in field=\"user\"", null)))
                .isEqualTo(RefusalKind.DOCUMENT);
        assertThat(RefusalKind.of(error("illegal_argument_exception", "no write index is defined for alias [wikiedits]", null)))
                .isEqualTo(RefusalKind.UNCLASSIFIED);
        assertThat(RefusalKind.of(error("brand_new_exception", "something new", null))).isEqualTo(RefusalKind.UNCLASSIFIED);
        assertThat(RefusalKind.of(null)).as("a status without an error").isEqualTo(RefusalKind.UNCLASSIFIED);
    }

    @Test
    void aHeldRefusalSaysWhatToDoAndAnUnclassifiedOneIsMarkedForTheTenMinuteRule() {
        BulkOutcome closed = outcome("index-closed.json");
        assertThat(closed.retryReason()).isEqualTo("HTTP 400 index_closed_exception: closed; open the index (POST /wikiedits/_open)");
        assertThat(closed.unclassified()).isEmpty();

        List<IndexDocument> sent = List.of(document(1));
        BulkOutcome unknown = BulkOutcome.of(sent, List.of(item("id-1", 503, error("brand_new_exception", "something new", null))));
        assertThat(unknown.unclassified()).singleElement().isEqualTo(
                new BulkOutcome.Unclassified(sent.get(0), "brand_new_exception", "brand_new_exception: something new"));
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

    /** The items of a real answer under {@code bulk-answers/}. */
    static List<BulkResponseItem> answer(String name) {
        try (InputStream in = BulkOutcomeTest.class.getResourceAsStream("/bulk-answers/" + name);
             JsonParser parser = MAPPER.jsonProvider().createParser(in)) {
            return BulkResponse._DESERIALIZER.deserialize(parser, MAPPER).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BulkOutcome outcome(String name) {
        List<BulkResponseItem> items = answer(name);
        return BulkOutcome.of(IntStream.rangeClosed(1, items.size()).mapToObj(BulkOutcomeTest::document).toList(), items);
    }

    private static String errorType(String name) {
        return answer(name).stream().filter(item -> item.error() != null).findFirst().orElseThrow().error().type();
    }

    private static IndexDocument document(long seq) {
        return new IndexDocument("id-" + seq, "{}", null, seq);
    }
}
