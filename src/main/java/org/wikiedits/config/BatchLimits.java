package org.wikiedits.config;

/**
 * What one batch call of a service accepts, so {@link org.wikiedits.delivery.RecordBatcher} and the sinks need no
 * service-specific code.
 *
 * @param service         the service, for messages ({@code Kinesis}, {@code Firehose})
 * @param call            the batch call, for messages ({@code PutRecords}, {@code PutRecordBatch})
 * @param maxRecords      records per call
 * @param maxRequestBytes bytes per call
 * @param maxRecordBytes  bytes per record
 */
public record BatchLimits(String service, String call, int maxRecords, long maxRequestBytes, long maxRecordBytes) {

    /** Kinesis PutRecords: 500 records and 5 MiB per request, 1 MiB per record (data plus partition key). */
    public static final BatchLimits PUT_RECORDS = new BatchLimits("Kinesis", "PutRecords", 500, 5L * 1024 * 1024, 1024L * 1024);

    /**
     * Firehose PutRecordBatch (https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html):
     * 500 records and 4 MiB per request, 1,000 KiB per record before base64 encoding.
     */
    public static final BatchLimits PUT_RECORD_BATCH = new BatchLimits("Firehose", "PutRecordBatch", 500, 4L * 1024 * 1024,
            1000L * 1024);

    /** Whether the service takes a record of this size at all. */
    public boolean fits(long recordBytes) {
        return recordBytes <= maxRecordBytes;
    }
}
