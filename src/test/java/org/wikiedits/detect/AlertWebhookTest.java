package org.wikiedits.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.testing.MutableClock;
import org.wikiedits.testing.TestCamel;

/** The webhook's cool-down per subject, its rate limit and its retries, by a clock the test moves. */
class AlertWebhookTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-04T16:00:00Z"));
    private final AlertWebhook webhook = new AlertWebhook(true, Duration.ofMinutes(30), 3, 3, new Backoff(1000, 60_000), clock);

    @Test
    void aSubjectIsSentOncePerCooldown() {
        assertThat(webhook.admit("page-surge:enwiki:A")).isTrue();
        webhook.sent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(webhook.admit("page-surge:enwiki:A")).as("within the cool-down").isFalse();
        assertThat(webhook.admit("revert-burst:enwiki:A")).as("another kind on the same page").isTrue();
        webhook.sent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(webhook.admit("page-surge:enwiki:A")).as("after the cool-down").isTrue();
        assertThat(webhook.suppressedCount()).isEqualTo(1);
    }

    @Test
    void noMoreThanTheRateLimitGoInAMinute() {
        for (int n = 0; n < 3; n++) {
            assertThat(webhook.admit("page-surge:enwiki:P" + n)).isTrue();
            webhook.sent();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(webhook.admit("page-surge:enwiki:P3")).as("a 4th within the minute").isFalse();
        clock.advance(Duration.ofSeconds(31));
        assertThat(webhook.admit("page-surge:enwiki:P4")).as("a minute after the first").isTrue();
    }

    @Test
    void aFailedCallIsRetriedWithTheBackoffUpToTheAttemptsThenGivenUp() throws Exception {
        Exchange failure = new DefaultExchange(TestCamel.newContext());
        failure.setProperty(Exchange.EXCEPTION_CAUGHT, new java.net.ConnectException("refused"));

        assertThat(webhook.admit("bot-storm:FloodBot")).isTrue();
        assertThat(webhook.backoffMillis()).as("the first call is not delayed").isZero();
        webhook.failed(failure);
        assertThat(webhook.unsent()).isTrue();
        assertThat(webhook.backoffMillis()).isBetween(500L, 1000L);
        webhook.failed(failure);
        assertThat(webhook.backoffMillis()).isBetween(1000L, 2000L);
        webhook.failed(failure);
        assertThat(webhook.unsent()).as("given up after 3 attempts").isFalse();
        assertThat(webhook.failedCount()).isEqualTo(1);
    }
}
