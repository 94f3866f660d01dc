package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.wikiedits.testing.MutableClock;

/** The ten-minute rule for refusals of an unclassified type, on a clock the test moves. */
class UnclassifiedRefusalsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    private final UnclassifiedRefusals refusals = new UnclassifiedRefusals(clock);
    private final IndexDocument poison = document(1);
    private final IndexDocument other = document(2);

    @Test
    void aDocumentSingledOutByAnUnclassifiedTypeIsGivenUpAfterTenMinutesOfTheSameRefusal() {
        assertThat(refusals.giveUp(answer(List.of(poison, other), refused(poison, "brand_new_exception"), accepted(other))))
                .as("the rest of its bulk was taken: its clock starts").isEmpty();
        clock.advance(UnclassifiedRefusals.GIVE_UP_AFTER.minusSeconds(1));
        assertThat(refusals.giveUp(answer(List.of(poison), refused(poison, "brand_new_exception")))).isEmpty();
        assertThat(refusals.running()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(refusals.giveUp(answer(List.of(poison), refused(poison, "brand_new_exception")))).singleElement()
                .satisfies(rejected -> {
                    assertThat(rejected.document()).isEqualTo(poison);
                    assertThat(rejected.reason()).isEqualTo("unclassified: brand_new_exception: refused");
                });
        assertThat(refusals.running()).isZero();
    }

    @Test
    void aWholeBulkRefusedWithAnUnclassifiedTypeHoldsAsLongAsItLasts() {
        for (int minute = 0; minute <= 60; minute += 5) {
            assertThat(refusals.giveUp(answer(List.of(poison, other), refused(poison, "brand_new_exception"),
                    refused(other, "brand_new_exception")))).as("after %d minutes", minute).isEmpty();
            clock.advance(Duration.ofMinutes(5));
        }
        assertThat(refusals.running()).isZero();
    }

    @Test
    void anotherTypeOrAnIndexWideRefusalInBetweenStartsTheClockAnew() {
        refusals.giveUp(answer(List.of(poison, other), refused(poison, "brand_new_exception"), accepted(other)));
        clock.advance(Duration.ofMinutes(6));
        refusals.giveUp(answer(List.of(poison), refused(poison, "index_closed_exception"))); // the index closed meanwhile
        clock.advance(Duration.ofMinutes(6));
        assertThat(refusals.giveUp(answer(List.of(poison), refused(poison, "brand_new_exception"))))
                .as("refused alone after the index-wide refusal: not singled out again").isEmpty();
        assertThat(refusals.running()).isZero();

        refusals.giveUp(answer(List.of(poison, other), refused(poison, "brand_new_exception"), accepted(other)));
        clock.advance(Duration.ofMinutes(6));
        refusals.giveUp(answer(List.of(poison, other), refused(poison, "other_new_exception"), accepted(other)));
        clock.advance(Duration.ofMinutes(6));
        assertThat(refusals.giveUp(answer(List.of(poison), refused(poison, "other_new_exception"))))
                .as("six minutes of the second type").isEmpty();
    }

    @Test
    void anAcknowledgedDocumentLeavesTheWatch() {
        refusals.giveUp(answer(List.of(poison, other), refused(poison, "brand_new_exception"), accepted(other)));
        refusals.giveUp(answer(List.of(poison), accepted(poison)));
        assertThat(refusals.running()).isZero();
    }

    private static BulkOutcome answer(List<IndexDocument> sent, BulkResponseItem... items) {
        return BulkOutcome.of(sent, List.of(items));
    }

    private static BulkResponseItem refused(IndexDocument document, String type) {
        return BulkOutcomeTest.item(document.id(), 400, BulkOutcomeTest.error(type, "refused", null));
    }

    private static BulkResponseItem accepted(IndexDocument document) {
        return BulkOutcomeTest.item(document.id(), 201, null);
    }

    private static IndexDocument document(long seq) {
        return new IndexDocument("id-" + seq, "{}", null, seq);
    }
}
