package org.wikiedits.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.wikiedits.transform.LakeColumn;

/**
 * The batch layer's tables on the local lake (issue 21; docs/batch-layer.md), one folder each under
 * {@code <lake>/} ({@link #folder}), a Hive partition {@code dt=YYYY-MM-DD/} per compacted day holding Parquet files
 * (the partition column lives in the folder name, not in the files):
 * {@value #COMPACTED} (the contract's typed columns, one row per event_id), and the aggregates
 * {@value #DAILY_WIKI}, {@value #HOURLY_TYPE}, {@value #TOP_PAGES}. The same names and columns as the
 * Iceberg tables on AWS.
 *
 * <p>The read view {@value #ALL} is every event once: the compacted days from Parquet, every other
 * day from the raw CSV (the typed view's rows, one per event_id), with the typed view's columns
 * ({@code dt} and {@code hour} as strings). Which days are compacted is read from the folders when a
 * connection opens, so both sides are listed file by file and DuckDB reads no CSV of a compacted day.
 */
public final class BatchTables {

    /** Every event once, compacted or not: what the named queries and the history dashboard read. */
    public static final String ALL = "wikiedits_all";
    public static final String COMPACTED = "wikiedits_compacted";
    public static final String DAILY_WIKI = "wikiedits_daily_wiki";
    public static final String HOURLY_TYPE = "wikiedits_hourly_type";
    public static final String TOP_PAGES = "wikiedits_top_pages";

    /** The folder of {@value #COMPACTED} under the lake (ARCHITECTURE.md names it). */
    public static final String COMPACTED_FOLDER = "wikiedits_parquet";

    /** The tables a compaction writes per day, in the order it swaps them in. */
    public static final List<String> TABLES = List.of(COMPACTED, DAILY_WIKI, HOURLY_TYPE, TOP_PAGES);

    /** How many pages {@value #TOP_PAGES} keeps per day. */
    public static final int TOP_PAGES_PER_DAY = 100;

    private static final Pattern DAY_FOLDER = Pattern.compile("dt=\\d{4}-\\d{2}-\\d{2}");

    private BatchTables() {
    }

    /** The folder of {@code table} under the lake: ARCHITECTURE.md names them {@code wikiedits_parquet/} and {@code agg_*}. */
    public static Path folder(Path lake, String table) {
        return lake.resolve(table.equals(COMPACTED) ? COMPACTED_FOLDER : "agg_" + table.substring("wikiedits_".length()));
    }

    /** The days of {@code table} (YYYY-MM-DD, sorted) whose folder holds Parquet files. */
    public static List<String> days(Path lake, String table) {
        Path root = folder(lake, table);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> DAY_FOLDER.matcher(p.getFileName().toString()).matches() && hasParquet(p))
                    .map(p -> p.getFileName().toString().substring(3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw lake's days (YYYY-MM-DD, sorted): its {@code dt=} folders. */
    public static List<String> rawDays(Path lake) {
        Path root = lake.resolve(LakeSql.TABLE);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> Files.isDirectory(p) && DAY_FOLDER.matcher(p.getFileName().toString()).matches())
                    .map(p -> p.getFileName().toString().substring(3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasParquet(Path day) {
        try (Stream<Path> files = Files.list(day)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        } catch (IOException e) {
            return false; // swapped away while listing: not a compacted day for this connection
        }
    }

    /**
     * The statements that create {@value #ALL} and the batch tables' views on a DuckDB connection
     * over {@code lake} (after {@link LakeSql#VIEW}, which the raw side of {@value #ALL} reads).
     */
    public static List<String> duckDbCreateViews(Path lake) {
        List<String> compactedDays = days(lake, COMPACTED);
        List<String> rawGlobs = new ArrayList<>();
        for (String day : rawDays(lake)) {
            if (!compactedDays.contains(day)) {
                rawGlobs.add(slashes(lake.resolve(LakeSql.TABLE).resolve("dt=" + day)) + "/*/*.csv");
            }
        }
        List<String> statements = new ArrayList<>();
        String typedColumns = typedColumnList();
        String compacted = parquet(lake, COMPACTED, compactedDays);
        statements.add("CREATE OR REPLACE VIEW " + COMPACTED + " AS SELECT " + typedColumns + ", CAST(dt AS DATE) AS dt FROM "
                + compacted);
        for (String table : List.of(DAILY_WIKI, HOURLY_TYPE, TOP_PAGES)) {
            statements.add("CREATE OR REPLACE VIEW " + table + " AS SELECT * REPLACE (CAST(dt AS DATE) AS dt) FROM "
                    + parquet(lake, table, days(lake, table)));
        }
        String raw = rawGlobs.isEmpty() ? "(SELECT * FROM " + LakeSql.VIEW + " WHERE false)"
                : "(" + LakeSql.typedSelect(LakeSql.Dialect.DUCKDB, LakeSql.duckDbReadCsv(rawGlobs)) + ")";
        statements.add("CREATE OR REPLACE VIEW " + ALL + " AS\n"
                + "SELECT " + typedColumns + ", dt, strftime(event_time, '%H') AS hour FROM " + compacted + "\n"
                + "UNION ALL\n"
                + "SELECT * FROM " + raw + " AS raw\nQUALIFY event_id IS NULL OR " + firstOfEachEvent() + " = 1");
        return statements;
    }

    /**
     * {@code row_number()} over the rows of one event_id in the order that picks the one kept: the earliest
     * event time, ties by the other contract columns in their order (NULLs first), so any engine keeps the same row.
     * Repeats share {@code meta.dt}, so they share the partition {@code dt}: partitioning by it as well lets a
     * filter on {@code dt} reach the files below the window (Trino and DuckDB push it down only then).
     */
    public static String firstOfEachEvent() {
        StringJoiner order = new StringJoiner(", ");
        order.add(LakeSql.quote(LakeColumn.EVENT_TIME.columnName()) + " NULLS LAST");
        for (LakeColumn column : LakeColumn.values()) {
            if (column != LakeColumn.EVENT_ID && column != LakeColumn.EVENT_TIME) {
                order.add(LakeSql.quote(column.columnName()) + " NULLS FIRST");
            }
        }
        return "row_number() OVER (PARTITION BY dt, " + LakeSql.quote(LakeColumn.EVENT_ID.columnName()) + " ORDER BY " + order + ")";
    }

    /** The 20 contract columns, quoted, in order. */
    public static String typedColumnList() {
        StringJoiner columns = new StringJoiner(", ");
        for (LakeColumn column : LakeColumn.values()) {
            columns.add(LakeSql.quote(column.columnName()));
        }
        return columns.toString();
    }

    /** The Parquet files of {@code days} of {@code table}, {@code dt} (a string) from the folder names; no days: no rows. */
    private static String parquet(Path lake, String table, List<String> days) {
        if (days.isEmpty()) {
            return "(" + emptyRelation(table) + ") AS no_days";
        }
        StringJoiner globs = new StringJoiner(", ", "[", "]");
        days.forEach(day -> globs.add(LakeSql.literal(slashes(folder(lake, table).resolve("dt=" + day)) + "/*.parquet")));
        return "read_parquet(" + globs + ", hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})";
    }

    /** A table's columns over no rows, so the views exist (and are empty) before the first compaction. */
    private static String emptyRelation(String table) {
        return switch (table) {
            case COMPACTED -> {
                StringJoiner columns = new StringJoiner(", ");
                for (LakeColumn column : LakeColumn.values()) {
                    columns.add("CAST(NULL AS " + column.type().duckDbType() + ") AS " + LakeSql.quote(column.columnName()));
                }
                yield "SELECT " + columns + ", CAST(NULL AS VARCHAR) AS dt WHERE false";
            }
            case DAILY_WIKI -> "SELECT CAST(NULL AS VARCHAR) AS dt, CAST(NULL AS VARCHAR) AS wiki, CAST(NULL AS BIGINT) AS edits,"
                    + " CAST(NULL AS BIGINT) AS new_pages, CAST(NULL AS DOUBLE) AS bot_share, CAST(NULL AS BIGINT) AS distinct_users,"
                    + " CAST(NULL AS BIGINT) AS bytes_added, CAST(NULL AS BIGINT) AS bytes_removed WHERE false";
            case HOURLY_TYPE -> "SELECT CAST(NULL AS VARCHAR) AS dt, CAST(NULL AS INTEGER) AS hour, CAST(NULL AS VARCHAR) AS type,"
                    + " CAST(NULL AS BIGINT) AS events WHERE false";
            case TOP_PAGES -> "SELECT CAST(NULL AS VARCHAR) AS dt, CAST(NULL AS INTEGER) AS rank, CAST(NULL AS VARCHAR) AS wiki,"
                    + " CAST(NULL AS VARCHAR) AS title, CAST(NULL AS BIGINT) AS edits WHERE false";
            default -> throw new IllegalArgumentException("no batch table " + table);
        };
    }

    /**
     * The compacted rows of one raw hour partition ({@code <lake>/wikiedits/dt=D/hour=HH/}): the typed view's
     * columns (without the partition columns), one row per event_id ({@link #firstOfEachEvent}; repeats share
     * {@code meta.dt}, so they share the hour partition), sorted by wiki and event time so Parquet's
     * dictionaries and run lengths compress them. An hour at a time: DuckDB's sort and window then need memory
     * for an hour, not a day. {@code maxRowBytes}: the longest row read, {@code readBufferBytes} DuckDB's read buffer.
     */
    public static String duckDbCompactedSelect(Path hourPartition, long maxRowBytes, long readBufferBytes) {
        String glob = slashes(hourPartition) + "/*.csv";
        return "SELECT " + typedColumnList() + " FROM ("
                + LakeSql.typedSelect(LakeSql.Dialect.DUCKDB, LakeSql.duckDbReadCsv(List.of(glob), maxRowBytes,
                        ", buffer_size = " + readBufferBytes)) + ") AS raw\n"
                + "QUALIFY event_id IS NULL OR " + firstOfEachEvent() + " = 1\nORDER BY wiki, event_time";
    }

    /**
     * The aggregates of one day, as {@code SELECT}s over {@code rows} (that day's compacted rows): each
     * table's columns without {@code dt}, which the folder carries.
     */
    public static String aggregateSelect(String table, String rows) {
        return switch (table) {
            case DAILY_WIKI -> """
                    SELECT wiki,
                           count(*) AS edits,
                           count(*) FILTER (WHERE type = 'new') AS new_pages,
                           CAST(count(*) FILTER (WHERE bot) AS DOUBLE) / count(*) AS bot_share,
                           count(DISTINCT "user") AS distinct_users,
                           CAST(coalesce(sum(greatest(length_new - coalesce(length_old, 0), 0)), 0) AS BIGINT) AS bytes_added,
                           CAST(coalesce(sum(greatest(coalesce(length_old, 0) - length_new, 0)), 0) AS BIGINT) AS bytes_removed
                    FROM %s
                    GROUP BY wiki
                    ORDER BY wiki""".formatted(rows);
            case HOURLY_TYPE -> """
                    SELECT CAST(hour(event_time) AS INTEGER) AS hour, type, count(*) AS events
                    FROM %s
                    GROUP BY ALL
                    ORDER BY hour, type""".formatted(rows);
            case TOP_PAGES -> """
                    SELECT CAST(row_number() OVER (ORDER BY edits DESC, wiki, title) AS INTEGER) AS rank, wiki, title, edits
                    FROM (SELECT wiki, title, count(*) AS edits
                          FROM %s
                          WHERE type IN ('edit', 'new') AND title IS NOT NULL
                          GROUP BY wiki, title)
                    ORDER BY rank
                    LIMIT %d""".formatted(rows, TOP_PAGES_PER_DAY);
            default -> throw new IllegalArgumentException("no aggregate table " + table);
        };
    }

    static String slashes(Path path) {
        return path.toAbsolutePath().normalize().toString().replace('\\', '/');
    }
}
