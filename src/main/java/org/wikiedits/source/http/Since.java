package org.wikiedits.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code since} backfill start, and the check for Wikimedia's silent fallback: a {@code since}
 * beyond the retained history (about 7 days) starts the stream at "now" without an error, so a
 * first event much later than the requested start means history was skipped.
 */
public final class Since {

    /** A first event this much later than {@code since} is reported as a gap; live events lag a few seconds. */
    public static final Duration GAP_TOLERANCE = Duration.ofSeconds(60);

    private static final ObjectMapper ID_READER = new ObjectMapper();

    private Since() {
    }

    /**
     * Parses epoch milliseconds or ISO-8601 ({@code 2024-05-01T12:00:00Z}, with an offset, without one
     * meaning UTC, or a date meaning its midnight UTC), the forms Wikimedia's {@code since} accepts.
     */
    public static Instant parse(String since) {
        String value = since.trim();
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("wikiedits.source.since (sse option since) must be epoch"
                            + " milliseconds or an ISO-8601 date/time such as 2024-05-01T12:00:00Z, not '" + since + "'");
                }
            }
        }
    }

    /**
     * The newest {@code timestamp} (epoch milliseconds) in a Wikimedia event id, a JSON array of
     * {@code {topic, partition, offset|timestamp}}; empty for offset-only ids and anything else.
     */
    public static Optional<Instant> timeInId(String id) {
        if (id == null || id.indexOf("\"timestamp\"") < 0) {
            return Optional.empty();
        }
        try {
            JsonNode parts = ID_READER.readTree(id);
            Instant newest = null;
            for (JsonNode part : parts) {
                JsonNode timestamp = part.path("timestamp");
                if (timestamp.canConvertToLong() && timestamp.isIntegralNumber()) {
                    Instant time = Instant.ofEpochMilli(timestamp.longValue());
                    newest = newest == null || time.isAfter(newest) ? time : newest;
                }
            }
            return Optional.ofNullable(newest);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** How much history is missing, when the first event came more than {@link #GAP_TOLERANCE} after {@code requested}. */
    public static Optional<Duration> gap(Instant requested, Instant firstEventTime) {
        Duration gap = Duration.between(requested, firstEventTime);
        return gap.compareTo(GAP_TOLERANCE) > 0 ? Optional.of(gap) : Optional.empty();
    }
}
