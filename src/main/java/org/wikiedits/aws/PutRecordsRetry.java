package org.wikiedits.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Sends one batch with PutRecords until Kinesis has acknowledged every record. PutRecords can
 * partly fail (an entry answered with {@code ProvisionedThroughputExceededException} or
 * {@code InternalFailure}); then only the failed entries are sent again, in their order, after an
 * exponential backoff with jitter. A failed request (after the SDK's own retries) is retried the
 * same way: the records are not lost and the checkpoint does not move past them meanwhile.
 */
public final class PutRecordsRetry {

    private static final Logger LOG = LoggerFactory.getLogger(PutRecordsRetry.class);

    /** How a delay is waited; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** What a batch took: PutRecords calls, and records sent more than once. */
    public record Outcome(int calls, int resentRecords) {
    }

    /** The batch was abandoned (the app is stopping); its records were not all acknowledged. */
    public static final class GaveUpException extends RuntimeException {
        GaveUpException(String message) {
            super(message);
        }
    }

    private final String stream;
    private final Function<PutRecordsRequest, PutRecordsResponse> putRecords;
    private final long baseMillis;
    private final long maxMillis;
    private final Sleeper sleeper;
    private final IntPredicate giveUpBeforeAttempt;
    private final Consumer<String> problems;

    /**
     * @param putRecords          the call, normally {@code kinesisClient::putRecords}
     * @param giveUpBeforeAttempt asked before every re-attempt (2, 3, ...): true abandons the batch
     * @param problems            told what is wrong while retrying, and {@code null} once a batch got through
     */
    public PutRecordsRetry(String stream, Function<PutRecordsRequest, PutRecordsResponse> putRecords, long baseMillis,
                           long maxMillis, Sleeper sleeper, IntPredicate giveUpBeforeAttempt, Consumer<String> problems) {
        this.stream = stream;
        this.putRecords = putRecords;
        this.baseMillis = baseMillis;
        this.maxMillis = Math.max(baseMillis, maxMillis);
        this.sleeper = sleeper;
        this.giveUpBeforeAttempt = giveUpBeforeAttempt;
        this.problems = problems;
    }

    public Outcome send(List<KinesisRecord> batch) throws InterruptedException {
        List<KinesisRecord> remaining = batch;
        int calls = 0;
        int resent = 0;
        for (int attempt = 1; !remaining.isEmpty(); attempt++) {
            if (attempt > 1) {
                if (giveUpBeforeAttempt.test(attempt)) {
                    throw new GaveUpException(remaining.size() + " of " + batch.size()
                            + " records not acknowledged by Kinesis stream " + stream + " after " + calls + " calls");
                }
                sleeper.sleep(backoffMillis(attempt - 1));
                resent += remaining.size();
            }
            PutRecordsResponse response;
            try {
                calls++;
                response = putRecords.apply(request(remaining));
            } catch (SdkException e) {
                String problem = "PutRecords to " + stream + " failed: " + e.getMessage();
                LOG.warn("{}; retrying {} records (attempt {})", problem, remaining.size(), attempt + 1);
                problems.accept(problem);
                continue;
            }
            List<KinesisRecord> failed = failedRecords(remaining, response);
            if (!failed.isEmpty()) {
                String problem = failed.size() + " of " + remaining.size() + " records refused by " + stream + " "
                        + errorCounts(response);
                LOG.warn("{}; re-sending only those (attempt {})", problem, attempt + 1);
                problems.accept(problem);
            }
            remaining = failed;
        }
        problems.accept(null);
        return new Outcome(calls, resent);
    }

    /** Exponential backoff with "equal jitter": between half and all of base * 2^(retry-1), capped. */
    long backoffMillis(int retry) {
        long ceiling = baseMillis << Math.min(retry - 1, 30);
        long delay = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    private PutRecordsRequest request(List<KinesisRecord> records) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (KinesisRecord record : records) {
            entries.add(PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                    .partitionKey(record.partitionKey())
                    .build());
        }
        return PutRecordsRequest.builder().streamName(stream).records(entries).build();
    }

    /** The records whose result entry carries an error code; results come in request order. */
    private static List<KinesisRecord> failedRecords(List<KinesisRecord> sent, PutRecordsResponse response) {
        List<PutRecordsResultEntry> results = response.records();
        if (results.size() != sent.size()) {
            throw new IllegalStateException("PutRecords answered " + results.size() + " results for " + sent.size() + " records");
        }
        if (response.failedRecordCount() != null && response.failedRecordCount() == 0) {
            return List.of();
        }
        List<KinesisRecord> failed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errorCode() != null) {
                failed.add(sent.get(i));
            }
        }
        return failed;
    }

    private static Map<String, Integer> errorCounts(PutRecordsResponse response) {
        Map<String, Integer> counts = new TreeMap<>();
        response.records().stream().filter(r -> r.errorCode() != null).forEach(r -> counts.merge(r.errorCode(), 1, Integer::sum));
        return counts;
    }
}
