package org.wikiedits.query;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.wikiedits.transform.LakeColumn;

/**
 * Every statement of the batch layer on AWS, written once: the Iceberg tables (the compacted lake
 * and its three aggregates, partitioned by {@code dt} only), one {@code MERGE} per table and day,
 * and the read view {@value #ALL_VIEW}. Athena engine v3 runs them; {@code AthenaSqlOnTrinoIT}
 * runs the very same text on Trino 476's Iceberg connector ({@link Engine#TRINO}), where only the
 * {@code CREATE TABLE} differs ({@link Engine}) and the names are qualified with Trino's catalogs.
 *
 * <p>Why {@code MERGE}: Athena cannot replace a day of a CSV table atomically and has no
 * multi-statement transaction; one {@code MERGE} is one Iceberg commit, so a crash leaves a day as it
 * was or as it becomes. Every {@code MERGE} updates only rows whose values differ, so a re-run over an
 * unchanged day changes nothing.
 *
 * <ul>
 *   <li>{@value #COMPACTED}: one row per {@code event_id} of the day, the earliest {@code event_time},
 *       ties by the smaller value column by column in contract order (NULLs first); rows without an
 *       {@code event_id} cannot be matched and are left out. Matched {@code ON t.dt = s.dt AND
 *       t.event_id = s.event_id}: with {@code dt} the merge reads one partition of the target.</li>
 *   <li>the aggregates, computed from the compacted day: the new rows full-joined with the target's
 *       rows of that day, those without a new row flagged {@code gone} and deleted (Trino 476 has no
 *       {@code WHEN NOT MATCHED BY SOURCE}).</li>
 * </ul>
 */
public final class IcebergSql {

    // the same tables as the local batch layer's
    public static final String COMPACTED = BatchTables.COMPACTED;
    public static final String DAILY_WIKI = BatchTables.DAILY_WIKI;
    public static final String HOURLY_TYPE = BatchTables.HOURLY_TYPE;
    public static final String TOP_PAGES = BatchTables.TOP_PAGES;
    /** What readers use for "every event once": compacted days from {@value #COMPACTED}, the other days from the raw view. */
    public static final String ALL_VIEW = BatchTables.ALL;
    /** Rows per day of {@value #TOP_PAGES}. */
    public static final int TOP_PAGES_PER_DAY = BatchTables.TOP_PAGES_PER_DAY;

    /**
     * The one place where Athena's DDL differs from Trino's. Athena's {@code CREATE TABLE} is Hive DDL:
     * backquoted names, Hive type names, {@code PARTITIONED BY (dt)}, {@code LOCATION} and
     * {@code TBLPROPERTIES ('table_type'='ICEBERG')}; Trino's is SQL: double quotes, SQL types, and the
     * format, partitioning and location as {@code WITH (...)} properties. Queries, {@code MERGE} and views
     * are the same text on both.
     */
    public enum Engine {
        ATHENA, TRINO;

        /** {@code schema}: the Glue database (Athena), the quoted catalog and schema (Trino). */
        String createTable(String schema, String name, List<Column> columns, String location) {
            StringJoiner list = new StringJoiner(",\n  ", " (\n  ", "\n)");
            if (this == ATHENA) {
                columns.forEach(c -> list.add("`" + c.name() + "` " + c.type().hive));
                return "CREATE TABLE IF NOT EXISTS `" + schema + "`.`" + name + "`" + list
                        + "\nPARTITIONED BY (`dt`)"
                        + "\nLOCATION " + LakeSql.literal(location)
                        + "\nTBLPROPERTIES ('table_type'='ICEBERG', 'format'='parquet', 'write_compression'='zstd')";
            }
            columns.forEach(c -> list.add(LakeSql.quote(c.name()) + " " + c.type().sql));
            return "CREATE TABLE IF NOT EXISTS " + schema + "." + LakeSql.quote(name) + list
                    + "\nWITH (format = 'PARQUET', partitioning = ARRAY['dt'], location = " + LakeSql.literal(location) + ")";
        }
    }

    /** Column types of the Iceberg tables, by their Hive DDL (Athena) and SQL (Trino) names. */
    enum Type {
        VARCHAR("string", "varchar"),
        // Iceberg stores microseconds; the lake's milliseconds fit (the view casts back to timestamp(3))
        TIMESTAMP("timestamp", "timestamp(6)"),
        BIGINT("bigint", "bigint"),
        INTEGER("int", "integer"),
        BOOLEAN("boolean", "boolean"),
        DOUBLE("double", "double"),
        DATE("date", "date");

        final String hive;
        final String sql;

        Type(String hive, String sql) {
            this.hive = hive;
            this.sql = sql;
        }

        static Type of(LakeColumn.Type type) {
            return switch (type) {
                case STRING -> VARCHAR;
                case TIMESTAMP -> TIMESTAMP;
                case BIGINT -> BIGINT;
                case INT -> INTEGER;
                case BOOLEAN -> BOOLEAN;
            };
        }
    }

    record Column(String name, Type type) {
    }

    /**
     * One aggregate table: its columns, the key columns that identify a row within a day (besides
     * {@code dt}), and the query giving the day's new rows from the compacted day (alias {@code c},
     * filtered to the day by the caller's {@code {day}}).
     */
    record Aggregate(String name, List<Column> columns, List<String> keys, String newRows) {
        List<String> values() {
            return columns.stream().map(Column::name).filter(n -> !n.equals("dt") && !keys.contains(n)).toList();
        }
    }

    private static final Column DT = new Column("dt", Type.DATE);

    static final List<Aggregate> AGGREGATES = List.of(
            new Aggregate(DAILY_WIKI, List.of(DT, new Column("wiki", Type.VARCHAR), new Column("edits", Type.BIGINT),
                    new Column("new_pages", Type.BIGINT), new Column("bot_share", Type.DOUBLE),
                    new Column("distinct_users", Type.BIGINT), new Column("bytes_added", Type.BIGINT),
                    new Column("bytes_removed", Type.BIGINT)), List.of("wiki"), """
                    SELECT dt, wiki, count(*) AS edits, count_if(type = 'new') AS new_pages,
                           CAST(count_if(bot) AS double) / count(*) AS bot_share,
                           count(DISTINCT "user") AS distinct_users,
                           sum(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS bytes_added,
                           sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS bytes_removed
                    FROM (SELECT dt, wiki, type, bot, "user",
                                 CAST(length_new AS bigint) - coalesce(length_old, 0) AS delta
                          FROM {compacted} WHERE dt = {day}) c
                    GROUP BY dt, wiki"""),
            new Aggregate(HOURLY_TYPE, List.of(DT, new Column("hour", Type.INTEGER), new Column("type", Type.VARCHAR),
                    new Column("events", Type.BIGINT)), List.of("hour", "type"), """
                    SELECT dt, CAST(hour(event_time) AS integer) AS hour, type, count(*) AS events
                    FROM {compacted} WHERE dt = {day}
                    GROUP BY dt, CAST(hour(event_time) AS integer), type"""),
            // the pages as the named query top_pages counts them: edits and page creations with a title
            new Aggregate(TOP_PAGES, List.of(DT, new Column("rank", Type.INTEGER), new Column("wiki", Type.VARCHAR),
                    new Column("title", Type.VARCHAR), new Column("edits", Type.BIGINT)), List.of("rank"), """
                    SELECT dt, rank, wiki, title, edits
                    FROM (SELECT dt, wiki, title, edits,
                                 CAST(row_number() OVER (ORDER BY edits DESC, wiki, title) AS integer) AS rank
                          FROM (SELECT dt, wiki, title, count(*) AS edits
                                FROM {compacted}
                                WHERE dt = {day} AND type IN ('edit', 'new') AND title IS NOT NULL
                                GROUP BY dt, wiki, title) counted) ranked
                    WHERE rank <= %d""".formatted(TOP_PAGES_PER_DAY)));

    private final Engine engine;
    private final String ddlSchema;
    private final String tableSchema;
    private final String rawSchema;
    private final String location;

    /**
     * @param tableSchema the (quoted, qualified) schema of the Iceberg tables and the view {@value #ALL_VIEW}
     * @param rawSchema   the (quoted, qualified) schema of the typed raw view {@value LakeSql#VIEW}
     * @param location    the folder holding one folder per table ({@code s3://bucket/compacted/})
     */
    private IcebergSql(Engine engine, String ddlSchema, String tableSchema, String rawSchema, String location) {
        this.engine = engine;
        this.ddlSchema = ddlSchema;
        this.tableSchema = tableSchema;
        this.rawSchema = rawSchema;
        this.location = location.endsWith("/") ? location : location + "/";
    }

    /** The statements for Athena: tables and views in the Glue database {@code database}, the tables under {@code location}. */
    public static IcebergSql athena(String database, String location) {
        if (location == null || !location.startsWith("s3://")) {
            throw new IllegalArgumentException("the Iceberg tables' location must be an s3:// URI, not '" + location + "'");
        }
        String schema = LakeSql.quote(LakeSql.requireGlueName("database", database));
        return new IcebergSql(Engine.ATHENA, database, schema, schema, location);
    }

    /** The statements for Trino: the tables in {@code icebergCatalog.schema}, the raw view (and the all-view) in {@code rawCatalog.schema}. */
    public static IcebergSql trino(String icebergCatalog, String rawCatalog, String schema, String location) {
        String tables = LakeSql.quote(icebergCatalog) + "." + LakeSql.quote(schema);
        return new IcebergSql(Engine.TRINO, tables, tables, LakeSql.quote(rawCatalog) + "." + LakeSql.quote(schema), location);
    }

    /** The qualified name of an Iceberg table. */
    public String table(String name) {
        return tableSchema + "." + LakeSql.quote(name);
    }

    /** {@code CREATE TABLE IF NOT EXISTS} for the four tables, each in its own folder under the location. */
    public List<String> createTables() {
        List<String> statements = new ArrayList<>();
        statements.add(engine.createTable(ddlSchema, COMPACTED, compactedColumns(), location + COMPACTED + "/"));
        AGGREGATES.forEach(a -> statements.add(engine.createTable(ddlSchema, a.name(), a.columns(), location + a.name() + "/")));
        return statements;
    }

    /** The four {@code MERGE}s that bring one day up to date, the compacted table first (the aggregates read it). */
    public List<String> compactDay(LocalDate day) {
        List<String> statements = new ArrayList<>();
        statements.add(mergeCompacted(day));
        AGGREGATES.forEach(a -> statements.add(mergeAggregate(a, day)));
        return statements;
    }

    /** {@code MERGE} of one raw day into {@value #COMPACTED}: one row per event_id, inserted or corrected. */
    String mergeCompacted(LocalDate day) {
        List<String> names = Stream.of(LakeColumn.values()).map(LakeColumn::columnName).toList();
        List<String> all = Stream.concat(names.stream(), Stream.of("dt")).toList();
        return "MERGE INTO " + table(COMPACTED) + " t\nUSING (\n"
                + "  SELECT " + joined(names, LakeSql::quote) + ", CAST(dt AS date) AS dt\n"
                + "  FROM (SELECT v.*, row_number() OVER (PARTITION BY event_id ORDER BY " + keepOrder() + ") AS copy\n"
                + "        FROM " + rawSchema + "." + LakeSql.quote(LakeSql.VIEW) + " v\n"
                + "        WHERE dt = " + LakeSql.literal(day.toString()) + " AND event_id IS NOT NULL) numbered\n"
                + "  WHERE copy = 1\n) s\n"
                + "ON t.dt = s.dt AND t.event_id = s.event_id\n"
                + "WHEN MATCHED AND (" + names.stream().map(n -> "t." + LakeSql.quote(n) + " IS DISTINCT FROM s." + LakeSql.quote(n))
                        .collect(Collectors.joining(" OR ")) + ")\n"
                + "  THEN UPDATE SET " + joined(names, n -> LakeSql.quote(n) + " = s." + LakeSql.quote(n)) + "\n"
                + "WHEN NOT MATCHED\n"
                + "  THEN INSERT (" + joined(all, LakeSql::quote) + ")\n"
                + "  VALUES (" + joined(all, n -> "s." + LakeSql.quote(n)) + ")";
    }

    /**
     * The copy of an event_id that stays: the earliest event_time, ties by the other contract columns in
     * their order, NULLs first (the local Parquet compaction keeps the same row).
     */
    private static String keepOrder() {
        return Stream.of(LakeColumn.values()).filter(c -> c != LakeColumn.EVENT_ID)
                .map(c -> LakeSql.quote(c.columnName()) + (c == LakeColumn.EVENT_TIME ? " NULLS LAST" : " NULLS FIRST"))
                .collect(Collectors.joining(", "));
    }

    /** {@code MERGE} of one day's new aggregate rows, deleting the target's rows of that day that are gone. */
    String mergeAggregate(Aggregate aggregate, LocalDate day) {
        String dayLiteral = "DATE " + LakeSql.literal(day.toString());
        String newRows = aggregate.newRows().replace("{compacted}", table(COMPACTED)).replace("{day}", dayLiteral);
        List<String> keys = Stream.concat(Stream.of("dt"), aggregate.keys().stream()).toList();
        List<String> values = aggregate.values();
        List<String> all = aggregate.columns().stream().map(Column::name).toList();
        // key columns may be NULL (a type or wiki the lake did not carry): matched as values, not skipped
        String joinOn = keys.stream().map(k -> "n." + LakeSql.quote(k) + " IS NOT DISTINCT FROM o." + LakeSql.quote(k))
                .collect(Collectors.joining(" AND "));
        String mergeOn = "t.dt = s.dt" + aggregate.keys().stream()
                .map(k -> " AND t." + LakeSql.quote(k) + " IS NOT DISTINCT FROM s." + LakeSql.quote(k)).collect(Collectors.joining());
        return "MERGE INTO " + table(aggregate.name()) + " t\nUSING (\n"
                + "  SELECT " + joined(keys, k -> "coalesce(n." + LakeSql.quote(k) + ", o." + LakeSql.quote(k) + ") AS " + LakeSql.quote(k))
                + ", " + joined(values, v -> "n." + LakeSql.quote(v)) + ", n.dt IS NULL AS gone\n"
                + "  FROM (\n" + indent(newRows, "    ") + "\n  ) n\n"
                + "  FULL JOIN (SELECT " + joined(keys, LakeSql::quote) + " FROM " + table(aggregate.name())
                + " WHERE dt = " + dayLiteral + ") o\n"
                + "    ON " + joinOn + "\n) s\n"
                + "ON " + mergeOn + "\n"
                + "WHEN MATCHED AND s.gone THEN DELETE\n"
                + "WHEN MATCHED AND (" + values.stream().map(v -> "t." + LakeSql.quote(v) + " IS DISTINCT FROM s." + LakeSql.quote(v))
                        .collect(Collectors.joining(" OR ")) + ")\n"
                + "  THEN UPDATE SET " + joined(values, v -> LakeSql.quote(v) + " = s." + LakeSql.quote(v)) + "\n"
                + "WHEN NOT MATCHED\n"
                + "  THEN INSERT (" + joined(all, LakeSql::quote) + ")\n"
                + "  VALUES (" + joined(all, n -> "s." + LakeSql.quote(n)) + ")";
    }

    /**
     * {@code CREATE OR REPLACE VIEW wikiedits_all}: the columns of {@value LakeSql#VIEW} (the contract's
     * typed columns, then {@code dt} and {@code hour} as 'YYYY-MM-DD' and 'HH' strings), each event once:
     * the compacted rows of compacted days, the raw view's rows (one per event_id and day) of the others.
     */
    public String createAllView() {
        List<String> names = Stream.of(LakeColumn.values()).map(LakeColumn::columnName).toList();
        String compactedColumns = names.stream()
                .map(n -> n.equals(LakeColumn.EVENT_TIME.columnName())
                        ? "CAST(" + LakeSql.quote(n) + " AS timestamp) AS " + LakeSql.quote(n) : LakeSql.quote(n))
                .collect(Collectors.joining(", "));
        return "CREATE OR REPLACE VIEW " + rawSchema + "." + LakeSql.quote(ALL_VIEW) + " AS\n"
                + "SELECT " + compactedColumns + ",\n"
                + "       CAST(dt AS varchar) AS dt, lpad(CAST(hour(event_time) AS varchar), 2, '0') AS hour\n"
                + "FROM " + table(COMPACTED) + "\n"
                + "UNION ALL\n"
                + "SELECT " + joined(names, LakeSql::quote) + ", dt, hour\n"
                // partitioned by dt too (copies share their day), so a filter on dt reaches the raw partitions
                + "FROM (SELECT v.*, row_number() OVER (PARTITION BY dt, event_id ORDER BY " + keepOrder() + ") AS copy\n"
                + "      FROM " + rawSchema + "." + LakeSql.quote(LakeSql.VIEW) + " v\n"
                + "      WHERE dt NOT IN (SELECT DISTINCT CAST(dt AS varchar) FROM " + table(COMPACTED) + ")) raw\n"
                + "WHERE copy = 1 OR event_id IS NULL";
    }

    /** The newest compacted day as 'YYYY-MM-DD' (one row; NULL when nothing is compacted yet). */
    public String newestCompactedDay() {
        return "SELECT CAST(max(dt) AS varchar) AS dt FROM " + table(COMPACTED);
    }

    /**
     * The raw lake's days after {@code after} ('YYYY-MM-DD', or '' for all) up to {@code last}, in order:
     * literal bounds on the partition column, so Athena reads only those days.
     */
    public String rawDays(String after, LocalDate last) {
        return "SELECT DISTINCT dt FROM " + rawSchema + "." + LakeSql.quote(LakeSql.VIEW) + " WHERE dt > "
                + LakeSql.literal(after) + " AND dt <= " + LakeSql.literal(last.toString()) + " ORDER BY dt";
    }

    static List<Column> compactedColumns() {
        List<Column> columns = new ArrayList<>();
        for (LakeColumn column : LakeColumn.values()) {
            columns.add(new Column(column.columnName(), Type.of(column.type())));
        }
        columns.add(DT);
        return columns;
    }

    private static String joined(List<String> names, Function<String, String> each) {
        return names.stream().map(each).collect(Collectors.joining(", "));
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l).collect(Collectors.joining("\n"));
    }
}
