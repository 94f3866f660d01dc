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
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Sends one batch to a Firehose delivery stream with PutRecordBatch until every record is
 * acknowledged. PutRecordBatch can partly fail: {@code FailedPutCount} > 0 and an {@code ErrorCode}
 * (such as {@code ServiceUnavailableException}) on the entries that failed, which come in request
 * order; then only those records are sent again, in their order, after an exponential backoff with
 * jitter. A failed call (after the SDK's own retries) is retried the same way. Meanwhile the caller
 * holds the batch, so nothing after it is acknowledged and the checkpoint cannot pass it.
 */
public final class PutRecordBatchRetry {

    private static final Logger LOG = LoggerFactory.getLogger(PutRecordBatchRetry.class);

    /** How a delay is waited; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** What a batch took: PutRecordBatch calls, and records sent more than once. */
    public record Outcome(int calls, int resentRecords) {
    }

    /** The batch was abandoned (the app is stopping); not all its records were acknowledged. */
    public static final class GaveUpException extends RuntimeException {
        GaveUpException(String message) {
            super(message);
        }
    }

    private final String stream;
    private final Function<List<Record>, PutRecordBatchResponse> putRecordBatch;
    private final long baseMillis;
    private final long maxMillis;
    private final Sleeper sleeper;
    private final IntPredicate giveUpBeforeAttempt;
    private final Consumer<String> problems;

    /**
     * @param putRecordBatch      one PutRecordBatch call to {@code stream} with these records, in order
     * @param baseMillis          the first retry delay; it doubles per attempt up to {@code maxMillis}
     * @param giveUpBeforeAttempt asked before every re-attempt (2, 3, ...): true abandons the batch
     * @param problems            told what is wrong while retrying, and {@code null} once a batch got through
     */
    public PutRecordBatchRetry(String stream, Function<List<Record>, PutRecordBatchResponse> putRecordBatch, long baseMillis,
            long maxMillis, Sleeper sleeper, IntPredicate giveUpBeforeAttempt, Consumer<String> problems) {
        if (baseMillis < 1) {
            throw new IllegalArgumentException("the retry delay must be positive, not " + baseMillis);
        }
        this.stream = stream;
        this.putRecordBatch = putRecordBatch;
        this.baseMillis = baseMillis;
        this.maxMillis = Math.max(baseMillis, maxMillis);
        this.sleeper = sleeper;
        this.giveUpBeforeAttempt = giveUpBeforeAttempt;
        this.problems = problems;
    }

    /** Returns once Firehose has acknowledged every record of {@code batch}. */
    public Outcome send(List<FirehoseRecord> batch) throws InterruptedException {
        List<FirehoseRecord> remaining = batch;
        int calls = 0;
        int resent = 0;
        for (int attempt = 1; !remaining.isEmpty(); attempt++) {
            if (attempt > 1) {
                if (giveUpBeforeAttempt.test(attempt)) {
                    throw new GaveUpException(remaining.size() + " of " + batch.size()
                            + " records not acknowledged by Firehose stream " + stream + " after " + calls + " calls");
                }
                sleeper.sleep(backoffMillis(attempt - 1));
                resent += remaining.size();
            }
            PutRecordBatchResponse response;
            try {
                calls++;
                response = putRecordBatch.apply(records(remaining));
            } catch (SdkException e) {
                String problem = "PutRecordBatch to " + stream + " failed: " + e.getMessage();
                LOG.warn("{}; retrying {} records (attempt {})", problem, remaining.size(), attempt + 1);
                problems.accept(problem);
                continue;
            }
            List<FirehoseRecord> failed = failedRecords(remaining, response);
            if (!failed.isEmpty()) {
                String problem = failed.size() + " of " + remaining.size() + " records refused by Firehose stream " + stream
                        + " " + errorCounts(response);
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

    private static List<Record> records(List<FirehoseRecord> batch) {
        List<Record> records = new ArrayList<>(batch.size());
        for (FirehoseRecord record : batch) {
            records.add(Record.builder().data(SdkBytes.fromByteArrayUnsafe(record.data())).build());
        }
        return records;
    }

    /** The records whose response entry carries an error code; entries come in request order. */
    private List<FirehoseRecord> failedRecords(List<FirehoseRecord> sent, PutRecordBatchResponse response) {
        if (response.failedPutCount() != null && response.failedPutCount() == 0) {
            return List.of();
        }
        List<PutRecordBatchResponseEntry> entries = response.requestResponses();
        if (entries.size() != sent.size()) {
            throw new IllegalStateException("PutRecordBatch to " + stream + " answered " + entries.size() + " entries for "
                    + sent.size() + " records");
        }
        List<FirehoseRecord> failed = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).errorCode() != null) {
                failed.add(sent.get(i));
            }
        }
        return failed;
    }

    private static Map<String, Integer> errorCounts(PutRecordBatchResponse response) {
        Map<String, Integer> counts = new TreeMap<>();
        response.requestResponses().stream().filter(e -> e.errorCode() != null)
                .forEach(e -> counts.merge(e.errorCode(), 1, Integer::sum));
        return counts;
    }
}
