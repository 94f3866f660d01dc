package org.wikiedits.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CheckpointStore;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.SeqRuns;

/**
 * {@link Delivery}, the one core of the index, Kinesis and Firehose deliveries: settle each record of an answer,
 * back off, give up only while stopping, acknowledge in order. The destinations' own rules are tested with
 * them ({@code BulkOutcomeTest}, {@code BatchDeliveryTest}), the routes in the route tests and ITs.
 */
class DeliveryTest {

    @TempDir
    Path dir;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<String> deadLetters = new ArrayList<>();
    private boolean deadLetterStoreWorks = true;
    private CheckpointStore checkpoints;
    private CommitTracker tracker;

    record Item(long seq) implements OutgoingRecord {
        @Override
        public long size() {
            return 1;
        }
    }

    @BeforeEach
    void tracker() {
        checkpoints = new CheckpointStore(dir.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, List.of("sink"));
        for (int i = 1; i <= 9; i++) {
            tracker.admit("e-" + i);
        }
    }

    private Delivery<Item> delivery(GiveUpOnStop giveUp) {
        return new Delivery<>("sink", new Backoff(100, 1000), giveUp, (item, reason) -> {
            if (deadLetterStoreWorks) {
                deadLetters.add(item.seq() + ": " + reason);
            }
            return deadLetterStoreWorks;
        }, tracker);
    }

    private Delivery<Item> delivery() {
        return delivery(GiveUpOnStop.afterFailedRequests(stopping::get, 2, Duration.ofHours(1), Duration.ofMillis(50)));
    }

    private static Batch<Item> batch(long... seqs) {
        return new Batch<>(LongStream.of(seqs).mapToObj(Item::new).toList(), new SeqRuns());
    }

    private static Settlement<Item> answer(List<Item> delivered, List<Item> refused, List<Item> held) {
        return new Settlement<>(delivered, refused.stream().map(item -> new Settlement.Refused<>(item, "mapping error")).toList(),
                held, held.isEmpty() ? null : "index closed");
    }

    @Test
    void refusedRecordsBecomeDeadLettersHeldOnesAreSentAgainAndTheBatchIsAcknowledgedOnceNothingIsLeft() {
        Delivery<Item> delivery = delivery();
        Batch<Item> batch = delivery.handOut(batch(1, 2, 3, 4), failed -> { });
        List<Item> sent = batch.unsent();

        List<Item> unsent = delivery.settle(batch, answer(List.of(sent.get(0)), List.of(sent.get(1)), sent.subList(2, 4)));
        assertThat(unsent).extracting(Item::seq).containsExactly(3L, 4L);
        assertThat(deadLetters).containsExactly("2: mapping error");
        assertThat(delivery.backoffMillis(batch)).as("after the first failed attempt").isBetween(50L, 100L);
        assertThatThrownBy(() -> delivery.acknowledge(batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 undelivered records");
        assertThat(checkpoints.lastEventId()).as("nothing acknowledged while records are held").isEmpty();

        assertThat(delivery.settle(batch, answer(unsent, List.of(), List.of()))).isEmpty();
        assertThat(delivery.backoffMillis(batch)).isZero();
        delivery.acknowledge(batch);

        assertThat(checkpoints.lastEventId()).contains("e-4");
        assertThat(delivery.acknowledgedSeq()).isEqualTo(4);
        assertThat(delivery.delivered()).isEqualTo(3);
        assertThat(delivery.deadLettered()).isEqualTo(1);
        assertThat(delivery.requests()).isEqualTo(2);
        assertThat(delivery.resent()).isEqualTo(2);
    }

    @Test
    void aRefusedRecordTheDeadLetterStoreCannotTakeStaysUnsentSoTheWatermarkWaitsForIt() {
        deadLetterStoreWorks = false;
        Delivery<Item> delivery = delivery();
        Batch<Item> batch = delivery.handOut(batch(1, 2), failed -> { });

        List<Item> unsent = delivery.settle(batch, answer(List.of(batch.unsent().get(0)), List.of(batch.unsent().get(1)), List.of()));

        assertThat(unsent).extracting(Item::seq).containsExactly(2L);
        assertThat(delivery.deadLettered()).isZero();
        assertThat(batch.settled()).isFalse();
    }

    @Test
    void aFailedRequestKeepsEveryRecordAndTheBackoffGrowsWithTheFailedAttempts() {
        Delivery<Item> delivery = delivery();
        Batch<Item> batch = delivery.handOut(batch(1, 2), failed -> { });
        assertThat(delivery.backoffMillis(batch)).as("before the first attempt").isZero();

        delivery.failed(batch);
        assertThat(delivery.backoffMillis(batch)).isBetween(50L, 100L);
        delivery.failed(batch);
        delivery.failed(batch);

        assertThat(batch.unsent()).extracting(Item::seq).containsExactly(1L, 2L);
        assertThat(delivery.backoffMillis(batch)).isBetween(200L, 400L);
        assertThat(delivery.givingUp(batch)).as("never while Camel runs").isFalse();
    }

    @Test
    void aBatchWhoseRouteFailedBeforeItsAcknowledgementGoesOutAgainInFrontOfTheNextOneAndOneAcknowledgementCoversBoth() {
        Delivery<Item> delivery = delivery();
        Batch<Item> first = delivery.handOut(batch(1, 2, 3), failed -> { });
        delivery.settle(first, answer(List.of(first.unsent().get(0)), List.of(), first.unsent().subList(1, 3)));
        List<Batch<Item>> reported = new ArrayList<>();

        Batch<Item> both = delivery.handOut(batch(4, 5, 6), reported::add);

        assertThat(reported).containsExactly(first);
        assertThat(both.unsent()).extracting(Item::seq).containsExactly(2L, 3L, 4L, 5L, 6L);
        delivery.settle(both, answer(both.unsent(), List.of(), List.of()));
        delivery.acknowledge(both);
        assertThat(checkpoints.lastEventId()).as("seq 1, delivered with the first batch, is acknowledged too").contains("e-6");
    }

    @Test
    void aBatchWithoutRecordsOnlyAcknowledgesTheEventsItCarries() {
        Delivery<Item> delivery = delivery();
        Batch<Item> carried = delivery.handOut(new Batch<>(List.of(), SeqRuns.of(1)), failed -> { });

        assertThat(carried.settled()).isTrue();
        delivery.acknowledge(carried);

        assertThat(checkpoints.lastEventId()).contains("e-1");
    }

    @Test
    void whileStoppingTheIndexGivesUpAfterTwoFailedRequestsAndWaitsLittleBetweenAttempts() {
        Delivery<Item> delivery = delivery();
        Batch<Item> batch = delivery.handOut(batch(1), failed -> { });
        delivery.failed(batch);
        delivery.failed(batch);
        assertThat(delivery.givingUp(batch)).as("failed before the stop: not counted").isFalse();

        stopping.set(true);
        assertThat(delivery.backoffMillis(batch)).as("capped while stopping").isLessThanOrEqualTo(50L);
        delivery.failed(batch);
        assertThat(delivery.givingUp(batch)).isFalse();
        delivery.failed(batch);
        assertThat(delivery.givingUp(batch)).isTrue();
    }

    @Test
    void whileStoppingAStreamGivesABatchUpAfterThreeCalls() {
        Delivery<Item> delivery = delivery(GiveUpOnStop.afterCalls(stopping::get, 3));
        Batch<Item> batch = delivery.handOut(batch(1, 2), failed -> { });
        delivery.settle(batch, answer(List.of(), List.of(), batch.unsent()));
        delivery.settle(batch, answer(List.of(), List.of(), batch.unsent()));
        delivery.failed(batch);
        assertThat(delivery.givingUp(batch)).as("retried until it goes through while Camel runs").isFalse();

        stopping.set(true);
        assertThat(delivery.givingUp(batch)).isTrue();
        assertThat(delivery.backoffMillis(batch)).as("not capped").isBetween(200L, 400L);
    }
}
