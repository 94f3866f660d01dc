package org.wikiedits.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** {@link BatchRetry} through {@link PutRecordsCall}, with a fake Kinesis. */
class BatchRetryPutRecordsTest {

    private final List<List<String>> sentPerCall = new ArrayList<>();
    private final List<Long> sleeps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private static List<KinesisRecord> records(int count) {
        return LongStream.rangeClosed(1, count)
                .mapToObj(seq -> new KinesisRecord(("event-" + seq).getBytes(StandardCharsets.UTF_8), "key-" + seq, seq)).toList();
    }

    /** A fake Kinesis that refuses, on each call, the entries whose data is in that call's set. */
    private Function<PutRecordsRequest, PutRecordsResponse> refusing(List<Set<String>> refusedPerCall) {
        return request -> {
            List<String> sent = request.records().stream().map(PutRecordsRequestEntry::data).map(d -> d.asUtf8String()).toList();
            Set<String> refused = sentPerCall.size() < refusedPerCall.size() ? refusedPerCall.get(sentPerCall.size()) : Set.of();
            sentPerCall.add(sent);
            List<PutRecordsResultEntry> results = sent.stream().map(data -> refused.contains(data)
                    ? PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException").errorMessage("slow down").build()
                    : PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber("1").build()).toList();
            return PutRecordsResponse.builder().records(results)
                    .failedRecordCount((int) results.stream().filter(r -> r.errorCode() != null).count()).build();
        };
    }

    private BatchRetry<KinesisRecord> retry(Function<PutRecordsRequest, PutRecordsResponse> kinesis, int giveUpAtAttempt) {
        return new BatchRetry<>(BatchLimits.PUT_RECORDS, "wikiedits", PutRecordsCall.to("wikiedits", kinesis), 100, 1_000, sleeps::add, attempt -> attempt >= giveUpAtAttempt,
                problems::add);
    }

    @Test
    void onlyTheRefusedEntriesAreSentAgainInTheirOrder() throws InterruptedException {
        BatchRetry<KinesisRecord> retry = retry(refusing(List.of(Set.of("event-2", "event-4"), Set.of("event-4"))), Integer.MAX_VALUE);

        BatchRetry.Outcome outcome = retry.send(records(5));

        assertThat(sentPerCall).containsExactly(
                List.of("event-1", "event-2", "event-3", "event-4", "event-5"),
                List.of("event-2", "event-4"),
                List.of("event-4"));
        assertThat(outcome).isEqualTo(new BatchRetry.Outcome(3, 3));
        assertThat(problems).hasSize(3).last().isNull();
        assertThat(problems.get(0)).contains("2 of 5 records refused", "ProvisionedThroughputExceededException=2");
    }

    @Test
    void aBatchWithoutFailuresIsOneCallAndNoWait() throws InterruptedException {
        BatchRetry.Outcome outcome = retry(refusing(List.of()), Integer.MAX_VALUE).send(records(500));
        assertThat(outcome).isEqualTo(new BatchRetry.Outcome(1, 0));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theBackoffDoublesWithEachRetryUpToTheMaximum() throws InterruptedException {
        List<Set<String>> refuseEventOneSixTimes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            refuseEventOneSixTimes.add(Set.of("event-1"));
        }
        retry(refusing(refuseEventOneSixTimes), Integer.MAX_VALUE).send(records(1));

        assertThat(sleeps).hasSize(6);
        long[] ceilings = {100, 200, 400, 800, 1_000, 1_000};
        for (int i = 0; i < ceilings.length; i++) {
            assertThat(sleeps.get(i)).as("wait before retry %d", i + 1).isBetween(ceilings[i] / 2, ceilings[i]);
        }
    }

    @Test
    void aFailedRequestIsRetriedWithAllItsRecords() throws InterruptedException {
        Function<PutRecordsRequest, PutRecordsResponse> kinesis = refusing(List.of());
        int[] calls = {0};
        BatchRetry<KinesisRecord> retry = retry(request -> {
            if (calls[0]++ == 0) {
                throw SdkClientException.create("connection refused");
            }
            return kinesis.apply(request);
        }, Integer.MAX_VALUE);

        BatchRetry.Outcome outcome = retry.send(records(3));

        assertThat(outcome).isEqualTo(new BatchRetry.Outcome(2, 3));
        assertThat(sentPerCall).containsExactly(List.of("event-1", "event-2", "event-3"));
        assertThat(problems.get(0)).contains("connection refused");
    }

    @Test
    void itGivesUpOnlyWhenToldToAndSaysHowManyRecordsAreUnacknowledged() {
        List<Set<String>> alwaysRefuseTwo = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alwaysRefuseTwo.add(Set.of("event-1", "event-3"));
        }
        BatchRetry<KinesisRecord> retry = retry(refusing(alwaysRefuseTwo), 4);

        assertThatThrownBy(() -> retry.send(records(3)))
                .isInstanceOf(BatchRetry.GaveUpException.class)
                .hasMessageContaining("2 of 3 records not acknowledged").hasMessageContaining("after 3 calls");
        assertThat(sentPerCall).hasSize(3);
    }
}
