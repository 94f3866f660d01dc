package org.wikiedits.replay;

import java.time.Instant;
import java.util.Set;
import org.wikiedits.config.ConfiguredSinks;

/**
 * One thing set aside that a replay may send again: a line of the dead-letter store, or a record
 * Firehose wrote under {@code errors/index-failed/}.
 *
 * @param key          where it is stored ({@code dead-letter-2026-12-07.ndjson:17}, {@code s3://bucket/key:3}):
 *                     the store is append-only, so this names it for good; the ledger marks it by this key
 * @param stage        the route (or Firehose stream) that gave up on it
 * @param reason       why it was set aside
 * @param receivedAt   when it was set aside (null when unknown)
 * @param raw          the original event text, or null when only a search document is left (see {@code document})
 * @param documentId   with {@code document}: the {@code _id} Firehose meant to give it
 * @param document     a finished search document (a Firehose delivery failure), else null: indexed as it is
 */
record Letter(String key, String stage, String reason, Instant receivedAt, String raw, String documentId, String document) {

    /** An original event the sinks' transformations turn into a lake row and a search document. */
    static Letter event(String key, String stage, String reason, Instant receivedAt, String raw) {
        return new Letter(key, stage, reason, receivedAt, raw == null ? "" : raw, null, null);
    }

    /** A search document as Firehose tried to index it. */
    static Letter searchDocument(String key, String stage, String reason, Instant receivedAt, String documentId, String document) {
        return new Letter(key, stage, reason, receivedAt, null, documentId, document);
    }

    /**
     * The sinks that never got it, from the stage that gave up: an index route (or Firehose's index stream)
     * only the index, a lake route only the lake, and any stage before the sinks (source, kinesis, publish)
     * both. A search document can only go to the index.
     */
    Set<String> sinks() {
        if (document != null || stage.contains(ConfiguredSinks.INDEX)) {
            return Set.of(ConfiguredSinks.INDEX);
        }
        if (stage.contains(ConfiguredSinks.LAKE)) {
            return Set.of(ConfiguredSinks.LAKE);
        }
        return Set.of(ConfiguredSinks.LAKE, ConfiguredSinks.INDEX);
    }
}
