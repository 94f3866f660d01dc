package org.wikiedits.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The only values a dashboard request may carry: a row limit, a live window and a day range. All are parsed
 * strictly, and a parameter the endpoint does not know is refused (a typo such as {@code ?limt=5} would
 * otherwise be silently ignored); anything else in a request (SQL, query text, file names) has no way in.
 */
public final class ApiParameters {

    /** Rows per panel when the request names none, and the most it may ask for. */
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 50;
    /** Days of history when the request names none, and the widest range it may ask for. */
    public static final int DEFAULT_DAYS = 7;
    public static final int MAX_DAYS = 366;

    /** A validated, inclusive range of UTC days. */
    public record DayRange(LocalDate from, LocalDate to) {
    }

    private ApiParameters() {
    }

    /** {@code limit}: a whole number from 1 to {@value #MAX_LIMIT}; absent = {@value #DEFAULT_LIMIT}. */
    public static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        if (text.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '"
                + shorten(text) + "'");
    }

    /** {@code window}: one of {@code 15m}, {@code 1h}, {@code 24h}, {@code all}; absent = {@code 15m}. */
    public static LiveWindow.Span window(String text) {
        if (text == null || text.isBlank()) {
            return LiveWindow.DEFAULT;
        }
        for (LiveWindow.Span span : LiveWindow.Span.values()) {
            if (span.parameter().equals(text)) {
                return span;
            }
        }
        throw new IllegalArgumentException("window must be one of " + Arrays.stream(LiveWindow.Span.values())
                .map(LiveWindow.Span::parameter).collect(Collectors.joining(", ")) + ", not '" + shorten(text) + "'");
    }

    /**
     * Refuses a parameter of the query string {@code query} (as sent, still escaped) that is not one of
     * {@code known}, naming those of {@code endpoint}.
     */
    public static void onlyKnown(String query, String endpoint, List<String> known) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            String name = URLDecoder.decode(pair.substring(0, pair.contains("=") ? pair.indexOf('=') : pair.length()),
                    StandardCharsets.UTF_8);
            if (!name.isEmpty() && !known.contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + shorten(name) + "'; " + endpoint
                        + (known.isEmpty() ? " takes no parameters" : " knows " + String.join(", ", known)));
            }
        }
    }

    /**
     * {@code from} and {@code to} as YYYY-MM-DD (UTC days, both included); an absent {@code to} is
     * {@code today}, an absent {@code from} the {@value #DEFAULT_DAYS} days up to {@code to}.
     */
    public static DayRange days(String fromText, String toText, LocalDate today) {
        LocalDate to = toText == null || toText.isBlank() ? today : day("to", toText);
        LocalDate from = fromText == null || fromText.isBlank() ? to.minusDays(DEFAULT_DAYS - 1) : day("from", fromText);
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new IllegalArgumentException("a day range may span at most " + MAX_DAYS + " days, not "
                    + (ChronoUnit.DAYS.between(from, to) + 1));
        }
        return new DayRange(from, to);
    }

    private static LocalDate day(String name, String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
            }
        } catch (DateTimeParseException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(name + " must be a day as YYYY-MM-DD, not '" + shorten(text) + "'");
    }

    /** Echoes at most a few characters of what was sent: enough to recognise, never a page of input. */
    private static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }
}
