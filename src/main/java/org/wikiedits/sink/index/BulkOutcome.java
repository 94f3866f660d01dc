package org.wikiedits.sink.index;

import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

/**
 * What one bulk answer means for the documents sent: acknowledged, held to be sent again (a refusal about the
 * index or the cluster, or of a type not classified here), or rejected for good (a refusal about the document
 * itself: the dead-letter store gets it). Decided by the error's type ({@link RefusalKind}), not its status.
 * The Bulk operation of camel-opensearch answers with {@code BulkResponse.items()}, one item per operation in
 * request order, and does not fail the exchange when only some items failed.
 *
 * @param created      how many of {@code acknowledged} are new to the index (result {@code created}; the
 *                     others replaced a document with the same {@code _id}: a repeated or replayed event)
 * @param retry        the held documents, in request order
 * @param unclassified those of {@code retry} refused with a type not classified here, for the ten-minute rule
 * @param retryReason  why the first of {@code retry} was refused, and what to do about it (null when none was)
 */
public record BulkOutcome(List<IndexDocument> acknowledged, int created, List<IndexDocument> retry,
                          List<Unclassified> unclassified, List<Rejected> rejected, String retryReason) {

    /** A document OpenSearch will not take as it is, and OpenSearch's reason. */
    public record Rejected(IndexDocument document, String reason) {
    }

    /** A held document refused with an error type not classified here, and OpenSearch's reason as one line. */
    public record Unclassified(IndexDocument document, String type, String reason) {
    }

    /** Classifies {@code items} (the answer) against {@code sent} (the request, same order). */
    public static BulkOutcome of(List<IndexDocument> sent, List<BulkResponseItem> items) {
        if (items.size() != sent.size()) {
            throw new IllegalStateException("the bulk answer has " + items.size() + " items for " + sent.size() + " documents");
        }
        List<IndexDocument> acknowledged = new ArrayList<>();
        List<IndexDocument> retry = new ArrayList<>();
        List<Unclassified> unclassified = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        String retryReason = null;
        int created = 0;
        for (int i = 0; i < sent.size(); i++) {
            IndexDocument document = sent.get(i);
            BulkResponseItem item = items.get(i);
            int status = item.status();
            ErrorCause error = item.error();
            if (status >= 200 && status < 300 && error == null) {
                acknowledged.add(document);
                if ("created".equals(item.result())) {
                    created++;
                }
                continue;
            }
            RefusalKind kind = RefusalKind.of(error);
            if (kind == RefusalKind.DOCUMENT) {
                rejected.add(new Rejected(document, reason(error)));
                continue;
            }
            if (retryReason == null) {
                retryReason = "HTTP " + status + " " + reason(error) + (kind == RefusalKind.INDEX
                        ? RefusalKind.advice(error.type())
                        : "; an error type the app does not classify: held, but a document singled out by it for "
                                + UnclassifiedRefusals.GIVE_UP_AFTER.toMinutes() + " minutes goes to the dead letters");
            }
            retry.add(document);
            if (kind == RefusalKind.UNCLASSIFIED) {
                String type = error == null || error.type() == null ? "HTTP " + status : error.type();
                unclassified.add(new Unclassified(document, type, error == null ? type : reason(error)));
            }
        }
        return new BulkOutcome(acknowledged, created, retry, unclassified, rejected, retryReason);
    }

    /** OpenSearch's error as one line: {@code type: reason (caused by type: reason)}. */
    static String reason(ErrorCause error) {
        if (error == null) {
            return "no reason given";
        }
        StringBuilder text = new StringBuilder(error.type()).append(": ").append(nullToEmpty(error.reason()));
        ErrorCause cause = error.causedBy();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.causedBy()) {
            text.append(" (caused by ").append(cause.type()).append(": ").append(nullToEmpty(cause.reason())).append(')');
        }
        return text.toString();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
