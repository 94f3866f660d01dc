package org.wikiedits.lambda;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Firehose data-transformation Lambda answers. Own type because aws-lambda-java-events'
 * response has no {@code metadata.partitionKeys}, which S3 dynamic partitioning reads
 * (prefix {@code !{partitionKeyFromLambda:dt}}; see
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-partitioning-keys.html).
 *
 * @param records one entry per request record, same {@code recordId}, same order
 */
public record FirehoseTransformationResponse(List<Record> records) {

    public FirehoseTransformationResponse {
        records = List.copyOf(records);
    }

    /**
     * One answered record.
     *
     * @param recordId the request record's id, echoed
     * @param result   Ok, Dropped or ProcessingFailed
     * @param data     base64: the transformed payload when Ok; the original data, unchanged, otherwise
     *                 (Firehose writes ProcessingFailed records to its error output as they are returned)
     * @param metadata partition keys for S3 dynamic partitioning; absent when there are none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String recordId, Result result, String data, Metadata metadata) {
    }

    /** @param partitionKeys key → value, e.g. {@code dt=2026-08-04}, {@code hour=15} */
    public record Metadata(Map<String, String> partitionKeys) {

        public Metadata {
            partitionKeys = Collections.unmodifiableMap(new TreeMap<>(partitionKeys));
        }
    }

    /** The transformation status of a record, spelled as Firehose expects it. */
    public enum Result {
        /** Transformed; Firehose delivers {@code data}. */
        OK("Ok"),
        /** Left out on purpose (canary events); counts as processed. */
        DROPPED("Dropped"),
        /** Unreadable; Firehose sends the record to its error output prefix. */
        PROCESSING_FAILED("ProcessingFailed");

        private final String wireName;

        Result(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
