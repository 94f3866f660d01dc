package org.wikiedits.sink.index;

import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

/**
 * What one bulk answer means for the documents sent: acknowledged, to be sent again (429, 5xx and
 * answers an operator can fix), or rejected for good (a mapping error: the dead-letter store gets it).
 * The Bulk operation of camel-opensearch answers with {@code BulkResponse.items()}, one item per
 * operation in request order, and does not fail the exchange when only some items failed.
 *
 * @param created     how many of {@code acknowledged} are new to the index (result {@code created}; the
 *                    others replaced a document with the same {@code _id}: a repeated or replayed event)
 * @param retryReason why the first of {@code retry} was refused (null when none was)
 */
public record BulkOutcome(List<IndexDocument> acknowledged, int created, List<IndexDocument> retry, List<Rejected> rejected,
                          String retryReason) {

    /** A document OpenSearch will not take as it is, and OpenSearch's reason. */
    public record Rejected(IndexDocument document, String reason) {
    }

    /** Classifies {@code items} (the answer) against {@code sent} (the request, same order). */
    public static BulkOutcome of(List<IndexDocument> sent, List<BulkResponseItem> items) {
        if (items.size() != sent.size()) {
            throw new IllegalStateException("the bulk answer has " + items.size() + " items for " + sent.size() + " documents");
        }
        List<IndexDocument> acknowledged = new ArrayList<>();
        List<IndexDocument> retry = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        String retryReason = null;
        int created = 0;
        for (int i = 0; i < sent.size(); i++) {
            IndexDocument document = sent.get(i);
            BulkResponseItem item = items.get(i);
            int status = item.status();
            if (status >= 200 && status < 300 && item.error() == null) {
                acknowledged.add(document);
                if ("created".equals(item.result())) {
                    created++;
                }
            } else if (isRetryable(status)) {
                if (retryReason == null) {
                    retryReason = "HTTP " + status + " " + reason(item.error());
                }
                retry.add(document);
            } else {
                rejected.add(new Rejected(document, reason(item.error())));
            }
        }
        return new BulkOutcome(acknowledged, created, retry, rejected, retryReason);
    }

    /**
     * Worth retrying: overload (429), server trouble (5xx), and answers an operator can fix without
     * the document changing: credentials or permissions (401/403), a read-only block (403), a
     * missing index with auto-creation off (404), timeouts (408), conflicts (409). Any other 4xx
     * (400 mapping errors) will not change by retrying.
     */
    static boolean isRetryable(int status) {
        return status == 401 || status == 403 || status == 404 || status == 408 || status == 409 || status == 429
                || status >= 500 || status < 400;
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
