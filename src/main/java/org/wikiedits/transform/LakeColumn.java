package org.wikiedits.transform;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * The lake row contract: the one definition of the CSV columns, their order and their types.
 * The CSV writer, the Glue table, the DuckDB view and the tests all derive from this enum.
 */
public enum LakeColumn {
    EVENT_ID("event_id", Type.STRING, RecentChange::eventId),
    EVENT_TIME("event_time", Type.TIMESTAMP, rc -> formatInstant(rc.eventTime())),
    TIMESTAMP("timestamp", Type.BIGINT, RecentChange::timestamp),
    RC_ID("rc_id", Type.BIGINT, RecentChange::rcId),
    TYPE("type", Type.STRING, RecentChange::type),
    WIKI("wiki", Type.STRING, RecentChange::wiki),
    SERVER_NAME("server_name", Type.STRING, RecentChange::serverName),
    NAMESPACE("namespace", Type.INT, RecentChange::namespace),
    TITLE("title", Type.STRING, RecentChange::title),
    USER("user", Type.STRING, RecentChange::user),
    BOT("bot", Type.BOOLEAN, RecentChange::bot),
    MINOR("minor", Type.BOOLEAN, RecentChange::minor),
    PATROLLED("patrolled", Type.BOOLEAN, RecentChange::patrolled),
    LENGTH_OLD("length_old", Type.INT, RecentChange::lengthOld),
    LENGTH_NEW("length_new", Type.INT, RecentChange::lengthNew),
    REVISION_OLD("revision_old", Type.BIGINT, RecentChange::revisionOld),
    REVISION_NEW("revision_new", Type.BIGINT, RecentChange::revisionNew),
    LOG_TYPE("log_type", Type.STRING, RecentChange::logType),
    LOG_ACTION("log_action", Type.STRING, RecentChange::logAction),
    COMMENT("comment", Type.STRING, RecentChange::comment);

    /** Logical column types, with their names in DuckDB and in Athena (Presto/Trino) SQL. */
    public enum Type {
        STRING("VARCHAR", "varchar"),
        TIMESTAMP("TIMESTAMP", "timestamp"),
        BIGINT("BIGINT", "bigint"),
        INT("INTEGER", "integer"),
        BOOLEAN("BOOLEAN", "boolean");

        private final String duckDbType;
        private final String athenaType;

        Type(String duckDbType, String athenaType) {
            this.duckDbType = duckDbType;
            this.athenaType = athenaType;
        }

        public String duckDbType() {
            return duckDbType;
        }

        public String athenaType() {
            return athenaType;
        }
    }

    /** ISO-8601 UTC with exactly three fraction digits, e.g. 2026-08-04T15:24:29.724Z. */
    private static final DateTimeFormatter EVENT_TIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String columnName;
    private final Type type;
    private final Function<RecentChange, Object> extractor;

    LakeColumn(String columnName, Type type, Function<RecentChange, Object> extractor) {
        this.columnName = columnName;
        this.type = type;
        this.extractor = extractor;
    }

    public String columnName() {
        return columnName;
    }

    public Type type() {
        return type;
    }

    /** The column's value for an event, as CSV text before quoting; {@code null} when absent. */
    public String valueOf(RecentChange rc) {
        Object value = extractor.apply(rc);
        return value == null ? null : value.toString();
    }

    /**
     * {@code instant} as {@link #EVENT_TIME_FORMAT} writes it; written digit by digit for the years
     * 0000-9999 (every event the reader accepts), where the formatter was a tenth of a search document's time.
     */
    public static String formatInstant(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return EVENT_TIME_FORMAT.format(instant);
        }
        char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        put(text, 0, 4, t.getYear());
        put(text, 5, 2, t.getMonthValue());
        put(text, 8, 2, t.getDayOfMonth());
        put(text, 11, 2, t.getHour());
        put(text, 14, 2, t.getMinute());
        put(text, 17, 2, t.getSecond());
        put(text, 20, 3, t.getNano() / 1_000_000);
        return new String(text);
    }

    /** Writes {@code value}'s last {@code width} decimal digits into {@code text} at {@code at}. */
    private static void put(char[] text, int at, int width, int value) {
        for (int i = at + width - 1, rest = value; i >= at; i--, rest /= 10) {
            text[i] = (char) ('0' + rest % 10);
        }
    }
}
