package org.wikiedits.detect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.Headers;
import org.wikiedits.delivery.Backoff;

/**
 * The {@code alerts-webhook} route's bean (one consumer, one alert at a time): which alerts go to the
 * webhook, and the retries of the one being sent. An alert goes when no alert on the same subject
 * (kind and subject) went within the cool-down and fewer than {@code perMinute} went in the last minute
 * (both by the clock: they protect the people reading); a failed call (an error answer, no answer) is
 * made again after the app's {@link Backoff}, up to {@code attempts} calls in all. Never logs the URL
 * (it is a secret: a Slack webhook URL is its own key).
 */
public final class AlertWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);
    private static final int SUBJECTS_REMEMBERED = 10_000;

    private final boolean configured;
    private final Duration cooldown;
    private final int perMinute;
    private final int attempts;
    private final Backoff backoff;
    private final Clock clock;
    private final BoundedRecency<String, Instant> sentBySubject = new BoundedRecency<>(SUBJECTS_REMEMBERED);
    private final Instant[] lastMinute;
    private int lastMinuteNext;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private String current;
    private int failures;

    public AlertWebhook(boolean configured, Duration cooldown, int perMinute, int attempts, Backoff backoff, Clock clock) {
        this.configured = configured;
        this.cooldown = cooldown;
        this.perMinute = perMinute;
        this.attempts = attempts;
        this.backoff = backoff;
        this.clock = clock;
        this.lastMinute = new Instant[perMinute];
    }

    /** Whether {@code wikiedits.alerts.webhook-url} is set. */
    public boolean configured() {
        return configured;
    }

    /**
     * Whether this alert is to be sent: not sent for its subject within the cool-down, and within the rate
     * limit. The route then calls the webhook while {@link #unsent}.
     */
    public synchronized boolean admit(@ExchangeProperty(Headers.ALERT_SUBJECT) String subject) {
        Instant now = clock.instant();
        Instant before = sentBySubject.get(subject);
        if (before != null && now.isBefore(before.plus(cooldown))) {
            suppressed.incrementAndGet();
            LOG.debug("Alert on {} not sent to the webhook: one went {} ago, within the cool-down", subject,
                    Duration.between(before, now));
            return false;
        }
        Instant oldest = lastMinute[lastMinuteNext];
        if (oldest != null && now.isBefore(oldest.plusSeconds(60))) {
            suppressed.incrementAndGet();
            LOG.warn("Alert on {} not sent to the webhook: {} went in the last minute (wikiedits.alerts.webhook-per-minute);"
                    + " it is in the alerts index and under <data>/alerts/", subject, perMinute);
            return false;
        }
        lastMinute[lastMinuteNext] = now;
        lastMinuteNext = (lastMinuteNext + 1) % perMinute;
        sentBySubject.put(subject, now);
        current = subject;
        failures = 0;
        return true;
    }

    /** The webhook's queue was full (the webhook is slow or down): this alert is not sent. */
    public void dropped() {
        suppressed.incrementAndGet();
        LOG.warn("An alert was not queued for the webhook: its queue is full (is the webhook slow or down?);"
                + " it is in the alerts index and under <data>/alerts/");
    }

    /** Whether the admitted alert still waits for a successful call. */
    public synchronized boolean unsent() {
        return current != null;
    }

    /** The webhook answered 2xx. */
    public synchronized void sent() {
        sent.incrementAndGet();
        current = null;
    }

    /** The call failed; after {@code attempts} failures the alert is given up (it stays in the index and the files). */
    public synchronized void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        failures++;
        String why = cause == null ? "unknown error" : describe(cause);
        if (failures >= attempts) {
            failed.incrementAndGet();
            LOG.warn("Alert on {} not delivered to the webhook after {} attempts ({}); it is in the alerts index and under"
                    + " <data>/alerts/", current, failures, why);
            current = null;
        } else {
            LOG.info("Webhook call for the alert on {} failed ({}); attempt {} of {} follows", current, why, failures + 1, attempts);
        }
    }

    /** The wait before the next call: none after a success, else the backoff after this many failures. */
    public synchronized long backoffMillis() {
        return current == null || failures == 0 ? 0 : backoff.millisBefore(failures);
    }

    public long sentCount() {
        return sent.get();
    }

    public long suppressedCount() {
        return suppressed.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /** The HTTP status of an error answer, else the exception's class: never the URL the message may hold. */
    private static String describe(Exception cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
                return "HTTP " + http.getStatusCode();
            }
        }
        return cause.getClass().getSimpleName();
    }
}
