package org.wikiedits.source.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: after the n-th consecutive failure, {@code base * 2^(n-1)} capped at
 * {@code max}, of which a random half is taken off ("equal jitter") so that many clients cut off
 * together do not come back together. A {@code Retry-After} from the server wins over the backoff.
 */
final class Backoff {

    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration max, RandomGenerator random) {
        this.max = max;
        this.random = random;
    }

    /** The wait after {@code failures} (at least 1) consecutive failures, growing from {@code base}. */
    Duration afterFailures(int failures, Duration base) {
        long cap = max.toMillis();
        long delay = Math.max(1, base.toMillis());
        for (int i = 1; i < failures && delay < cap; i++) {
            delay *= 2;
        }
        long capped = Math.min(delay, cap);
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    /** A {@code Retry-After} value, in delay-seconds or as an HTTP date, as a delay from {@code now}. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
