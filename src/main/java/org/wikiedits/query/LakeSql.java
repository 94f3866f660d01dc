package org.wikiedits.query;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.wikiedits.transform.LakeColumn;

/**
 * The SQL side of the lake, derived from {@link LakeColumn} (the one column list): the raw table
 * declares every column as a string (Athena's OpenCSVSerde rejects empty numeric fields), and
 * the typed view {@value #VIEW} is what every query uses. The view is the same on both engines:
 * empty field = NULL, a value that does not cast = NULL ({@code TRY_CAST}), plus the partition
 * columns {@code dt} (YYYY-MM-DD) and {@code hour} (HH) as the strings the folder names carry.
 *
 * <ul>
 *   <li>DuckDB (local mode): {@code read_csv} over {@code <lake>/wikiedits/*}{@code /*}{@code /*.csv}
 *       with {@code hive_partitioning=true}; see {@link #openDuckDb(Path)}.</li>
 *   <li>Glue + Athena (aws mode): {@link #glueColumns()}, {@link #gluePartitionKeys()},
 *       {@link #glueSerdeParameters()} for the table the infra scripts create, and
 *       {@link #athenaCreateView(String, String)} for the view.</li>
 * </ul>
 */
public final class LakeSql {

    /** The typed view every query reads, on DuckDB and on Athena. */
    public static final String VIEW = "wikiedits_v";

    /** The lake's top folder ({@code <lake>/wikiedits/dt=.../hour=.../*.csv}); also the Glue table's default name. */
    public static final String TABLE = "wikiedits";

    /** Partition columns, in folder order; strings on both engines (Glue partition keys are strings). */
    public static final List<String> PARTITION_COLUMNS = List.of("dt", "hour");

    /** The SerDe Athena reads the CSV lake with (RFC 4180 quoting). */
    public static final String GLUE_SERDE_LIBRARY = "org.apache.hadoop.hive.serde2.OpenCSVSerde";

    /** Glue database and table names: lower case letters, digits and underscores (no quoting games). */
    private static final Pattern GLUE_NAME = Pattern.compile("[a-z0-9_]{1,255}");

    /** The two SQL dialects the typed view is written in. */
    enum Dialect {
        DUCKDB, ATHENA;

        /** The typed expression for a raw string column: empty = NULL, uncastable = NULL. */
        String typed(LakeColumn column) {
            String raw = "NULLIF(" + quote(column.columnName()) + ", '')";
            LakeColumn.Type type = column.type();
            if (type == LakeColumn.Type.STRING) {
                return raw;
            }
            if (this == ATHENA && type == LakeColumn.Type.TIMESTAMP) {
                // the lake writes ISO-8601 with 'Z'; a plain timestamp (UTC) compares and groups like DuckDB's
                return "CAST(TRY(from_iso8601_timestamp(" + raw + ")) AS timestamp)";
            }
            // DuckDB reads '2026-08-04T15:24:29.724Z' as that UTC wall time (the writer always writes 'Z')
            String sqlType = this == DUCKDB ? type.duckDbType() : type.athenaType();
            return "TRY_CAST(" + raw + " AS " + sqlType + ")";
        }
    }

    private LakeSql() {
    }

    // ---------------------------------------------------------------- DuckDB

    /** The glob of lake files: {@code <lake>/wikiedits/*}{@code /*}{@code /*.csv} (in-progress files must not end in .csv). */
    public static String duckDbGlob(Path lake) {
        String base = lake.toAbsolutePath().normalize().toString().replace('\\', '/');
        return base + "/" + TABLE + "/*/*/*.csv";
    }

    /** The longest lake row DuckDB reads (64 MiB): far beyond any real event (Wikimedia's are about 1.2 KB). */
    static final int MAX_ROW_BYTES = 64 * 1024 * 1024;

    /**
     * The raw relation over the lake: every column VARCHAR (as in Glue), strict RFC 4180, no
     * header, {@code \n} line ends, partitions {@code dt} and {@code hour} from the folder names.
     */
    public static String duckDbReadCsv(Path lake) {
        return duckDbReadCsv(List.of(duckDbGlob(lake)));
    }

    /** The same over the files of {@code globs} (the batch layer's view reads the days not compacted). */
    static String duckDbReadCsv(List<String> globs) {
        return duckDbReadCsv(globs, MAX_ROW_BYTES, "");
    }

    /**
     * The same with another longest row; {@code options}, when not empty, adds reader options (the compaction's
     * smaller read buffer: DuckDB's buffer holds at least one longest row, and counts against its memory limit).
     */
    static String duckDbReadCsv(List<String> globs, long maxRowBytes, String options) {
        StringJoiner list = new StringJoiner(", ", "[", "]");
        globs.forEach(glob -> list.add(literal(glob)));
        String files = globs.size() == 1 ? literal(globs.get(0)) : list.toString();
        StringJoiner columns = new StringJoiner(", ", "{", "}");
        for (LakeColumn column : LakeColumn.values()) {
            columns.add(literal(column.columnName()) + ": 'VARCHAR'");
        }
        StringJoiner hiveTypes = new StringJoiner(", ", "{", "}");
        PARTITION_COLUMNS.forEach(p -> hiveTypes.add(literal(p) + ": 'VARCHAR'"));
        return "read_csv(" + files
                + ", header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
                + ", new_line = '\\n', encoding = 'utf-8', strict_mode = true, null_padding = false"
                // a row is as long as its event: DuckDB's 2 MB default would fail every query of the lake over one big event
                + ", max_line_size = " + maxRowBytes + options
                + ", columns = " + columns
                + ", hive_partitioning = true, hive_types = " + hiveTypes + ")";
    }

    /** {@code CREATE OR REPLACE VIEW wikiedits_v} over the lake files. */
    public static String duckDbCreateView(Path lake) {
        return "CREATE OR REPLACE VIEW " + VIEW + " AS " + typedSelect(Dialect.DUCKDB, duckDbReadCsv(lake));
    }

    /** The same view over no rows (a lake without files yet): queries then return empty results, not errors. */
    public static String duckDbCreateEmptyView() {
        StringJoiner columns = new StringJoiner(", ");
        for (LakeColumn column : LakeColumn.values()) {
            columns.add("CAST(NULL AS VARCHAR) AS " + quote(column.columnName()));
        }
        PARTITION_COLUMNS.forEach(p -> columns.add("CAST(NULL AS VARCHAR) AS " + quote(p)));
        return "CREATE OR REPLACE VIEW " + VIEW + " AS "
                + typedSelect(Dialect.DUCKDB, "(SELECT " + columns + " WHERE false) AS no_files");
    }

    /**
     * An in-memory DuckDB connection with {@value #VIEW} over {@code lake} and the batch layer's views
     * ({@link BatchTables}: {@value BatchTables#ALL}, the compacted and aggregate tables). Extension
     * auto-install and auto-load are off: nothing is downloaded (CSV and Parquet reading are built in).
     */
    public static Connection openDuckDb(Path lake) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
        try (Statement statement = connection.createStatement()) {
            createViews(statement, lake);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Creates {@value #VIEW} and the batch layer's views on the connection of {@code statement}. */
    static void createViews(Statement statement, Path lake) throws SQLException {
        statement.execute(hasLakeFiles(statement.getConnection(), lake) ? duckDbCreateView(lake) : duckDbCreateEmptyView());
        for (String view : BatchTables.duckDbCreateViews(lake)) {
            statement.execute(view);
        }
    }

    /** Whether any file matches {@link #duckDbGlob(Path)}, by DuckDB's own glob (the same matching as read_csv). */
    public static boolean hasLakeFiles(Connection duckDb, Path lake) throws SQLException {
        try (Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM glob(" + literal(duckDbGlob(lake)) + ")")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    // ---------------------------------------------------------------- Glue / Athena

    /** A column of the Glue table. */
    public record GlueColumn(String name, String type) {
    }

    /** The Glue table's columns in lake order, all {@code string} (the typed view casts them). */
    public static List<GlueColumn> glueColumns() {
        List<GlueColumn> columns = new ArrayList<>();
        for (LakeColumn column : LakeColumn.values()) {
            columns.add(new GlueColumn(column.columnName(), "string"));
        }
        return columns;
    }

    /** The Glue table's partition keys: {@code dt}, {@code hour}, both {@code string}. */
    public static List<GlueColumn> gluePartitionKeys() {
        return PARTITION_COLUMNS.stream().map(p -> new GlueColumn(p, "string")).toList();
    }

    /**
     * SerDe parameters for {@link #GLUE_SERDE_LIBRARY}. OpenCSVSerde's default escape character
     * is a backslash, which it removes from the data ({@code C:\x} would read {@code C:x}); the
     * lake is RFC 4180 (quotes doubled, nothing escaped), so the escape is set to U+0000, which the
     * lake never contains (CsvRow and RecentChangeReader replace it). Not verified against real
     * Athena here (no AWS in this environment): check a row with a backslash after deploying.
     */
    public static Map<String, String> glueSerdeParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("separatorChar", ",");
        parameters.put("quoteChar", "\"");
        parameters.put("escapeChar", "\u0000");
        return parameters;
    }

    /**
     * Table parameters with Athena partition projection, so that new {@code dt=/hour=} folders
     * are queryable without crawlers or {@code MSCK REPAIR}. {@code location} is the table's
     * S3 location, e.g. {@code s3://bucket/wikiedits/}.
     */
    public static Map<String, String> glueTableParameters(String location) {
        if (location == null || !location.startsWith("s3://")) {
            throw new IllegalArgumentException("the Glue table location must be an s3:// URI, not '" + location + "'");
        }
        String base = location.endsWith("/") ? location : location + "/";
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", "csv");
        parameters.put("projection.enabled", "true");
        parameters.put("projection.dt.type", "date");
        parameters.put("projection.dt.format", "yyyy-MM-dd");
        parameters.put("projection.dt.range", "2018-01-01,NOW");
        parameters.put("projection.hour.type", "integer");
        parameters.put("projection.hour.range", "0,23");
        parameters.put("projection.hour.digits", "2");
        parameters.put("storage.location.template", base + "dt=${dt}/hour=${hour}/");
        return parameters;
    }

    /**
     * {@code CREATE OR REPLACE VIEW wikiedits_v} over the Glue table {@code database.table}:
     * {@code from_iso8601_timestamp} for the event time, {@code TRY_CAST} for numbers and booleans.
     */
    public static String athenaCreateView(String database, String table) {
        String source = quote(requireGlueName("database", database)) + "." + quote(requireGlueName("table", table));
        return "CREATE OR REPLACE VIEW " + VIEW + " AS " + typedSelect(Dialect.ATHENA, source);
    }

    /**
     * {@code CREATE OR REPLACE VIEW wikiedits_all} on Athena as the raw typed view's rows, one per event_id
     * ({@link BatchTables#ALL}), so the named queries run there unchanged before a compacted table exists; the
     * Iceberg batch layer replaces it with the union of its compacted days and the raw rest.
     */
    public static String athenaCreateAllView(String database) {
        return "CREATE OR REPLACE VIEW " + BatchTables.ALL + " AS\nSELECT " + BatchTables.typedColumnList() + ", dt, hour FROM (\n"
                + "  SELECT *, " + BatchTables.firstOfEachEvent() + " AS first_of_event\n"
                + "  FROM " + quote(requireGlueName("database", database)) + "." + VIEW + "\n"
                + ") WHERE event_id IS NULL OR first_of_event = 1";
    }

    // ---------------------------------------------------------------- shared

    /** The view's body: one typed expression per lake column, then the partition columns. */
    static String typedSelect(Dialect dialect, String source) {
        StringJoiner select = new StringJoiner(",\n  ", "SELECT\n  ", "\nFROM " + source);
        for (LakeColumn column : LakeColumn.values()) {
            select.add(dialect.typed(column) + " AS " + quote(column.columnName()));
        }
        PARTITION_COLUMNS.forEach(p -> select.add(quote(p)));
        return select.toString();
    }

    /** A double-quoted identifier; only ever applied to names from LakeColumn or validated names. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A single-quoted SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String requireGlueName(String what, String name) {
        if (name == null || !GLUE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the Glue " + what + " name must be lower-case letters, digits or '_', not '"
                    + name + "'");
        }
        return name;
    }
}
