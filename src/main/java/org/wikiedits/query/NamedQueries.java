package org.wikiedits.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The project's named queries, each written once in SQL that runs unchanged on DuckDB (local
 * mode) and on Athena (aws mode) over the view {@value BatchTables#ALL} (every event once: compacted
 * days from the batch layer's columnar table, the other days from the raw lake); {@code total}, which
 * counts the raw records and their repeats, reads the raw typed view {@value LakeSql#VIEW}.
 *
 * <p>Users choose a query by name and pass a date and a limit, never SQL: the date range is bound
 * as two {@code ?} parameters ({@code dt BETWEEN ? AND ?}, the partition column, so both engines
 * prune partitions), the limit is a validated positive integer written into the text (Athena's
 * parameterised queries do not take LIMIT parameters everywhere). Firehose delivery may repeat
 * records: {@value BatchTables#ALL} holds each event once (on both engines), so the queries count rows;
 * {@code total} counts {@code DISTINCT event_id} over the raw records.
 */
public final class NamedQueries {

    /** Default of {@code --limit}: rows of a result, or pages per day and wiki for top_pages. */
    public static final int DEFAULT_LIMIT = 100;
    /** Upper bound of {@code --limit}, to keep a typo from asking for a billion rows. */
    public static final int MAX_LIMIT = 1_000_000;

    /** The date range used when no date is given: all partitions. */
    private static final String FIRST_DAY = "0000-01-01";
    private static final String LAST_DAY = "9999-12-31";

    /**
     * One named query. {@code sql} contains exactly two {@code ?} (first and last day, YYYY-MM-DD)
     * and one {@code {limit}} placeholder.
     */
    public record NamedQuery(String name, String description, String sql) {

        /** The query for one day (or every day when {@code date} is empty), ready to run. */
        public BoundQuery bind(Optional<LocalDate> date, int limit) {
            return date.map(day -> bind(day, day, limit)).orElseGet(() -> bind(FIRST_DAY, LAST_DAY, limit));
        }

        /** The query for the days {@code from} to {@code to}, both included (the dashboard's day range). */
        public BoundQuery bind(LocalDate from, LocalDate to, int limit) {
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("the first day (" + from + ") must not be after the last (" + to + ")");
            }
            return bind(from.format(DateTimeFormatter.ISO_LOCAL_DATE), to.format(DateTimeFormatter.ISO_LOCAL_DATE), limit);
        }

        private BoundQuery bind(String from, String to, int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("--limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
            }
            return new BoundQuery(this, sql.replace("{limit}", Integer.toString(limit)), List.of(from, to));
        }
    }

    /** A named query with its parameter values. */
    public record BoundQuery(NamedQuery query, String sql, List<String> parameters) {

        /** Runs on a JDBC connection that has the view (DuckDB: {@link LakeSql#openDuckDb}). */
        public Result run(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setString(i + 1, parameters.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return Result.read(rs, Integer.MAX_VALUE);
                }
            }
        }

        /**
         * The parameters as Athena {@code ExecutionParameters}: SQL literals, in order
         * ({@code '2026-08-04'}); they are validated dates, so no quoting can break out.
         */
        public List<String> athenaExecutionParameters() {
            return parameters.stream().map(LakeSql::literal).toList();
        }
    }

    /** A query result: column labels and rows of JDBC values. */
    public record Result(List<String> columns, List<List<Object>> rows) {

        /** The column labels and up to {@code maxRows} rows of {@code rs} (one more when it has more: callers can tell). */
        public static Result read(ResultSet rs, int maxRows) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                columns.add(meta.getColumnLabel(c));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rows.size() <= maxRows && rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int c = 1; c <= columns.size(); c++) {
                    row.add(rs.getObject(c));
                }
                rows.add(row);
            }
            return new Result(columns, rows);
        }
    }

    private static final String V = BatchTables.ALL;

    public static final NamedQuery DAILY_COUNTS = new NamedQuery("daily_counts",
            "events per day (UTC), wiki and type; --limit caps the rows", """
            SELECT dt, wiki, type, count(*) AS events
            FROM %s
            WHERE dt BETWEEN ? AND ?
            GROUP BY dt, wiki, type
            ORDER BY dt, events DESC, wiki NULLS LAST, type NULLS LAST
            LIMIT {limit}""".formatted(V));

    public static final NamedQuery BOT_SHARE = new NamedQuery("bot_share",
            "per day: events, events by bots and their share (0..1, 4 decimals); events without a bot flag count as"
                    + " not by bots; --limit caps the rows", """
            SELECT dt,
                   count(*) AS events,
                   count(CASE WHEN bot THEN 1 END) AS bot_events,
                   round(CAST(count(CASE WHEN bot THEN 1 END) AS DOUBLE)
                         / NULLIF(count(*), 0), 4) AS bot_share
            FROM %s
            WHERE dt BETWEEN ? AND ?
            GROUP BY dt
            ORDER BY dt
            LIMIT {limit}""".formatted(V));

    public static final NamedQuery TOP_PAGES = new NamedQuery("top_pages",
            "per day and wiki, the most edited pages (types edit and new), ties by title;"
                    + " --limit is the number of pages per day and wiki", """
            SELECT dt, wiki, title, edits, page_rank
            FROM (
              SELECT dt, wiki, title, edits,
                     row_number() OVER (PARTITION BY dt, wiki ORDER BY edits DESC, title) AS page_rank
              FROM (
                SELECT dt, wiki, title, count(*) AS edits
                FROM %s
                WHERE dt BETWEEN ? AND ? AND type IN ('edit', 'new') AND title IS NOT NULL
                GROUP BY dt, wiki, title
              ) counted
            ) ranked
            WHERE page_rank <= {limit}
            ORDER BY dt, wiki NULLS LAST, page_rank""".formatted(V));

    public static final NamedQuery TOTAL = new NamedQuery("total",
            "records in the lake, distinct events, and the duplicates between them (repeated deliveries)", """
            SELECT count(*) AS records,
                   count(DISTINCT event_id) AS events,
                   count(*) - count(DISTINCT event_id) AS duplicates
            FROM %s
            WHERE dt BETWEEN ? AND ?
            LIMIT {limit}""".formatted(LakeSql.VIEW));

    public static final NamedQuery HOURLY_COUNTS = new NamedQuery("hourly_counts",
            "events per day and hour (UTC); --limit caps the rows", """
            SELECT dt, hour, count(*) AS events
            FROM %s
            WHERE dt BETWEEN ? AND ?
            GROUP BY dt, hour
            ORDER BY dt, hour
            LIMIT {limit}""".formatted(V));

    public static final NamedQuery TOP_WIKIS = new NamedQuery("top_wikis",
            "the wikis with the most events over all the chosen days; --limit is the number of wikis", """
            SELECT wiki, count(*) AS events
            FROM %s
            WHERE dt BETWEEN ? AND ? AND wiki IS NOT NULL
            GROUP BY wiki
            ORDER BY events DESC, wiki
            LIMIT {limit}""".formatted(V));

    public static final NamedQuery MOST_EDITED = new NamedQuery("most_edited",
            "the most edited pages over all the chosen days (types edit and new), ties by wiki and"
                    + " title; --limit is the number of pages", """
            SELECT wiki, server_name, title, count(*) AS edits
            FROM %s
            WHERE dt BETWEEN ? AND ? AND type IN ('edit', 'new') AND title IS NOT NULL
            GROUP BY wiki, server_name, title
            ORDER BY edits DESC, wiki NULLS LAST, title
            LIMIT {limit}""".formatted(V));

    private static final List<NamedQuery> ALL = List.of(DAILY_COUNTS, BOT_SHARE, TOP_PAGES, TOTAL, HOURLY_COUNTS,
            TOP_WIKIS, MOST_EDITED);

    private NamedQueries() {
    }

    /** Every named query, in the order {@code query --list} shows them. */
    public static List<NamedQuery> all() {
        return ALL;
    }

    /** The query called {@code name}; the message lists the valid names. */
    public static NamedQuery byName(String name) {
        return ALL.stream().filter(q -> q.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no query named '" + name + "'; the queries are: "
                        + ALL.stream().map(NamedQuery::name).collect(Collectors.joining(", "))));
    }

    /** A {@code --date} value: an ISO date, YYYY-MM-DD. */
    public static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--date must be a day as YYYY-MM-DD, not '" + text + "'");
        }
    }
}
