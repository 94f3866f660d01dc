package org.wikiedits.config;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code wikiedits.*} settings of aws mode, read once and validated with messages that say
 * what to set. Built from any key lookup (Camel's properties component, {@link Settings}, a map in tests).
 */
public record AwsSettings(
        AwsDelivery delivery,
        String region,
        String stream,
        Optional<URI> kinesisEndpoint,
        String bucket,
        Optional<URI> s3Endpoint,
        int batchRecords,
        long batchBytes,
        long lingerMillis,
        long retryBaseMillis,
        long retryMaxMillis) {

    private static final String LOCAL_EXAMPLE = "http://127.0.0.1:4567";

    public static AwsSettings from(Function<String, String> lookup) {
        SettingValues read = new SettingValues(lookup);
        AwsDelivery delivery = AwsDelivery.parse(read.text(AwsDelivery.KEY));
        String bucket = read.text("wikiedits.s3.bucket");
        if (delivery == AwsDelivery.CAMEL && bucket.isEmpty()) {
            throw new IllegalArgumentException("wikiedits.aws.delivery=camel writes the lake to S3: set wikiedits.s3.bucket"
                    + " (-Dwikiedits.s3.bucket=... or WIKIEDITS_S3_BUCKET)");
        }
        if (delivery == AwsDelivery.CAMEL && read.text("wikiedits.opensearch.url").isEmpty()) {
            // no embedded node in aws mode: the consumer's commit waits for the index, so it must exist
            throw new IllegalArgumentException("wikiedits.aws.delivery=camel writes the search index too: set"
                    + " wikiedits.opensearch.url (-Dwikiedits.opensearch.url=http://host:9200 or WIKIEDITS_OPENSEARCH_URL)");
        }
        int batchRecords = (int) read.positive("wikiedits.kinesis.batch-records");
        if (batchRecords > BatchLimits.PUT_RECORDS.maxRecords()) {
            throw new IllegalArgumentException("wikiedits.kinesis.batch-records must be at most " + BatchLimits.PUT_RECORDS.maxRecords()
                    + " (the PutRecords limit), not " + batchRecords);
        }
        long batchBytes = read.positive("wikiedits.kinesis.batch-bytes");
        if (batchBytes > BatchLimits.PUT_RECORDS.maxRequestBytes()) {
            throw new IllegalArgumentException("wikiedits.kinesis.batch-bytes must be at most " + BatchLimits.PUT_RECORDS.maxRequestBytes()
                    + " (5 MiB, the PutRecords limit), not " + batchBytes);
        }
        if (batchBytes < BatchLimits.PUT_RECORDS.maxRecordBytes()) {
            // every record Kinesis takes must fit into one batch, or the producer could neither send nor dead-letter it
            throw new IllegalArgumentException("wikiedits.kinesis.batch-bytes must be at least " + BatchLimits.PUT_RECORDS.maxRecordBytes()
                    + " (1 MiB, the largest Kinesis record), not " + batchBytes);
        }
        return new AwsSettings(delivery, read.text("wikiedits.aws.region"), read.required("wikiedits.kinesis.stream"),
                read.httpUrl("wikiedits.kinesis.endpoint", LOCAL_EXAMPLE), bucket, read.httpUrl("wikiedits.s3.endpoint", LOCAL_EXAMPLE),
                batchRecords, batchBytes, read.positive("wikiedits.kinesis.linger-ms"),
                read.positive("wikiedits.kinesis.retry-base-ms"), read.positive("wikiedits.kinesis.retry-max-ms"));
    }
}
