package org.wikiedits.dashboard;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The only values a dashboard request may carry: a row limit and a day range. Both are parsed
 * strictly; anything else in a request (SQL, query text, file names) has no way in.
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
