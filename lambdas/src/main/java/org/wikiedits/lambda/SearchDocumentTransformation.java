package org.wikiedits.lambda;

import java.util.Map;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.SearchDocument;

/**
 * Event → search document ({@link SearchDocument#toJson}). No trailing newline: the Firehose
 * OpenSearch destination turns each record into one document of a bulk request and expects a
 * single-line JSON object per record (https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html);
 * {@code toJson} writes compact JSON, whose string values escape any line break.
 * No partition keys: dynamic partitioning exists for S3 destinations only.
 * Firehose cannot set {@code _id}, so this path is at-least-once (see docs/architecture.md).
 */
public final class SearchDocumentTransformation implements EventTransformation {

    @Override
    public TransformedEvent apply(RecentChange rc) {
        return new TransformedEvent(SearchDocument.toJson(rc), Map.of());
    }
}
