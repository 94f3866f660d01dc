package org.wikiedits.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends one batch with a batch call (Kinesis PutRecords, Firehose PutRecordBatch) until the service
 * has acknowledged every record. Such calls can partly fail: some entries come back with an error
 * code (such as {@code ProvisionedThroughputExceededException}), in request order; then only those
 * records are sent again, in their order, after an exponential backoff with jitter. A failed call
 * (after the SDK's own retries) is retried the same way. Meanwhile the caller holds the batch, so
 * nothing after it is acknowledged and the checkpoint cannot pass it.
 */
public final class BatchRetry<R> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRetry.class);

    /** One batch call: the service-specific part, a few lines per service ({@link PutRecordsCall}, {@link PutRecordBatchCall}). */
    @FunctionalInterface
    public interface BatchCall<R> {
        /**
         * Sends these records, in order, in one call.
         *
         * @return the error code of each record, in request order; {@code null} where it was accepted
         * @throws SdkException when the call as a whole failed
         */
        List<String> send(List<R> records);
    }

    /** How a delay is waited; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** What a batch took: calls, and records sent more than once. */
    public record Outcome(int calls, int resentRecords) {
    }

    /** The batch was abandoned (the app is stopping); not all its records were acknowledged. */
    public static final class GaveUpException extends RuntimeException {
        GaveUpException(String message) {
            super(message);
        }
    }

    private final BatchLimits service;
    private final String stream;
    private final BatchCall<R> call;
    private final long baseMillis;
    private final long maxMillis;
    private final Sleeper sleeper;
    private final IntPredicate giveUpBeforeAttempt;
    private final Consumer<String> problems;

    /**
     * @param service             names the service and call in messages
     * @param stream              the stream the call sends to, for messages
     * @param baseMillis          the first retry delay; it doubles per attempt up to {@code maxMillis}
     * @param giveUpBeforeAttempt asked before every re-attempt (2, 3, ...): true abandons the batch
     * @param problems            told what is wrong while retrying, and {@code null} once a batch got through
     */
    public BatchRetry(BatchLimits service, String stream, BatchCall<R> call, long baseMillis, long maxMillis, Sleeper sleeper,
            IntPredicate giveUpBeforeAttempt, Consumer<String> problems) {
        if (baseMillis < 1) {
            throw new IllegalArgumentException("the retry delay must be positive, not " + baseMillis);
        }
        this.service = service;
        this.stream = stream;
        this.call = call;
        this.baseMillis = baseMillis;
        this.maxMillis = Math.max(baseMillis, maxMillis);
        this.sleeper = sleeper;
        this.giveUpBeforeAttempt = giveUpBeforeAttempt;
        this.problems = problems;
    }

    /** Returns once the service has acknowledged every record of {@code batch}. */
    public Outcome send(List<R> batch) throws InterruptedException {
        List<R> remaining = batch;
        int calls = 0;
        int resent = 0;
        for (int attempt = 1; !remaining.isEmpty(); attempt++) {
            if (attempt > 1) {
                if (giveUpBeforeAttempt.test(attempt)) {
                    throw new GaveUpException(remaining.size() + " of " + batch.size() + " records not acknowledged by "
                            + service.service() + " stream " + stream + " after " + calls + " calls");
                }
                sleeper.sleep(backoffMillis(attempt - 1));
                resent += remaining.size();
            }
            List<String> errorCodes;
            try {
                calls++;
                errorCodes = call.send(remaining);
            } catch (SdkException e) {
                String problem = service.call() + " to " + stream + " failed: " + e.getMessage();
                LOG.warn("{}; retrying {} records (attempt {})", problem, remaining.size(), attempt + 1);
                problems.accept(problem);
                continue;
            }
            List<R> failed = failedRecords(remaining, errorCodes);
            if (!failed.isEmpty()) {
                String problem = failed.size() + " of " + remaining.size() + " records refused by " + service.service()
                        + " stream " + stream + " " + counts(errorCodes);
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

    /** The records whose answer carries an error code; answers come in request order. */
    private List<R> failedRecords(List<R> sent, List<String> errorCodes) {
        if (errorCodes.size() != sent.size()) {
            throw new IllegalStateException(service.call() + " to " + stream + " answered " + errorCodes.size()
                    + " entries for " + sent.size() + " records");
        }
        List<R> failed = new ArrayList<>();
        for (int i = 0; i < errorCodes.size(); i++) {
            if (errorCodes.get(i) != null) {
                failed.add(sent.get(i));
            }
        }
        return failed;
    }

    private static Map<String, Integer> counts(List<String> errorCodes) {
        Map<String, Integer> counts = new TreeMap<>();
        errorCodes.stream().filter(Objects::nonNull).forEach(code -> counts.merge(code, 1, Integer::sum));
        return counts;
    }
}
