package org.wikiedits.query.compaction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.util.TimeUtils;
import org.wikiedits.query.BatchTables;
import org.wikiedits.query.LakeSql;

/**
 * The batch layer's job on the local lake ({@code compact --parquet}, and the scheduled route through
 * {@link CompactionProcess}): each completed raw day becomes the columnar day of
 * {@value BatchTables#COMPACTED} and its aggregates, written by DuckDB into a staging folder and swapped
 * in by {@link DaySwap}. The raw CSV stays. A day is complete {@code wikiedits.compact.grace} after its end
 * (UTC); it is compacted again when its CSV files changed since ({@link SourceFiles}), else left alone, so
 * a re-run changes nothing.
 */
public final class ParquetCompaction {

    /** Held by one compaction (CSV or Parquet) at a time per data folder. */
    public static final String LOCK_FILE = ".compact.lock";

    /** DuckDB's spill folder, under the data folder (not /tmp, which may be small or memory). */
    static final String TEMP_FOLDER = "tmp/compaction";

    /** The defaults of application.properties. */
    private static final Map<String, String> DEFAULTS = Map.of("wikiedits.compact.grace", "2h",
            "wikiedits.compact.memory-limit", "256MB", "wikiedits.compact.threads", "1");

    private static final Pattern MEMORY = Pattern.compile("(\\d{1,9})\\s*(KB|MB|GB|KiB|MiB|GiB)");

    /** {@code wikiedits.compact.*}: grace after a day's end, DuckDB's memory limit and threads. */
    public record Limits(Duration grace, String memoryLimit, int threads) {

        public Limits {
            if (!MEMORY.matcher(memoryLimit).matches()) {
                throw new IllegalArgumentException("wikiedits.compact.memory-limit must be a size such as 256MB or 1GB, not '"
                        + memoryLimit + "'");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("wikiedits.compact.threads must be 1 or more, not " + threads);
            }
        }

        /** When {@code day} is complete: its end (UTC) plus the grace. The one rule, for the local and the aws engine. */
        public Instant completeAt(LocalDate day) {
            return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(grace);
        }

        /** The last day complete at {@code now}: the day before the one {@code now - grace} falls on. */
        public LocalDate lastCompleteDay(Instant now) {
            return LocalDate.ofInstant(now.minus(grace), ZoneOffset.UTC).minusDays(1);
        }

        /** The memory limit in bytes (KB, MB, GB as DuckDB reads them: powers of 1000; KiB, MiB, GiB: of 1024). */
        public long memoryBytes() {
            java.util.regex.Matcher m = MEMORY.matcher(memoryLimit);
            if (!m.matches()) {
                throw new IllegalStateException(memoryLimit);
            }
            long unit = switch (m.group(2)) {
                case "KB" -> 1000L;
                case "MB" -> 1000L * 1000;
                case "GB" -> 1000L * 1000 * 1000;
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            return Long.parseLong(m.group(1)) * unit;
        }

        /** From the settings, by key; an absent one (a route harness without application.properties) has its default. */
        public static Limits of(Function<String, String> settings) {
            Function<String, String> read = key -> {
                String value = settings.apply(key);
                return value == null || value.isBlank() ? DEFAULTS.get(key) : value.trim();
            };
            String threads = read.apply("wikiedits.compact.threads");
            if (!threads.matches("\\d{1,4}")) {
                throw new IllegalArgumentException("wikiedits.compact.threads must be a whole number such as 1, not '" + threads + "'");
            }
            return new Limits(duration(read.apply("wikiedits.compact.grace"), "wikiedits.compact.grace"),
                    read.apply("wikiedits.compact.memory-limit"), Integer.parseInt(threads));
        }
    }

    /** A duration setting as Camel writes periods ({@code 2h}, {@code 90m}, {@code 1h30m}, {@code 45s}, or milliseconds). */
    public static Duration duration(String text, String key) {
        try {
            long millis = TimeUtils.toMilliSeconds(text.trim());
            if (millis < 0) {
                throw new IllegalArgumentException("negative");
            }
            return Duration.ofMillis(millis);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 2h, 30m or 1h30m, not '" + text + "'");
        }
    }

    /** What happened to one day. */
    public enum Outcome {
        COMPACTED("compacted"), WOULD_COMPACT("would be compacted"), UNCHANGED("unchanged since its compaction"),
        INCOMPLETE("not complete yet"), BEING_WRITTEN("being written by the app (a pending file is there)"),
        NO_RAW_DATA("no raw CSV"), FAILED("failed");

        final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    /** One day's outcome; {@code rows}: the compacted rows when compacted, else -1. */
    public record DayResult(LocalDate day, Outcome outcome, long rows, String detail) {

        public String describe() {
            return "dt=" + day + ": " + outcome.words + (rows >= 0 ? ", " + rows + " events" : "")
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    private final Path dataDir;
    private final Path lake;
    private final Limits limits;
    private final Clock clock;

    public ParquetCompaction(Path dataDir, Limits limits, Clock clock) {
        this.dataDir = dataDir;
        this.lake = dataDir.resolve("lake");
        this.limits = limits;
        this.clock = clock;
    }

    /** Finishes or rolls back what a stopped compaction left ({@link DaySwap#recover}); one line per day it touched. */
    public List<String> recover() throws IOException {
        List<String> days = Files.isDirectory(lake) ? DaySwap.recover(lake) : List.of();
        return days.stream().map(day -> "recovered a stopped compaction: " + (day.startsWith("-")
                ? "dt=" + day.substring(1) + " rolled back (the old day stays)" : "dt=" + day + " finished (the new day is in)"))
                .toList();
    }

    /** Every raw day that is complete and not compacted, or changed since its compaction. */
    public List<DayResult> all(boolean dryRun) throws IOException {
        List<DayResult> results = new ArrayList<>();
        for (String day : BatchTables.rawDays(lake)) {
            results.add(day(LocalDate.parse(day), dryRun));
        }
        return results;
    }

    /** One day, when complete and not compacted from its current CSV files already. */
    public DayResult day(LocalDate day, boolean dryRun) throws IOException {
        Instant complete = limits.completeAt(day);
        if (clock.instant().isBefore(complete)) {
            return new DayResult(day, Outcome.INCOMPLETE, -1, "complete at " + complete + ", wikiedits.compact.grace after its end");
        }
        SourceFiles sources = SourceFiles.of(lake.resolve(LakeSql.TABLE).resolve("dt=" + day));
        if (sources.beingWritten()) {
            return new DayResult(day, Outcome.BEING_WRITTEN, -1, "");
        }
        if (sources.isEmpty()) {
            return new DayResult(day, Outcome.NO_RAW_DATA, -1, "");
        }
        Optional<SourceFiles> recorded = SourceFiles.recorded(BatchTables.folder(lake, BatchTables.COMPACTED).resolve("dt=" + day));
        if (recorded.isPresent() && recorded.get().entries().equals(sources.entries())) {
            return new DayResult(day, Outcome.UNCHANGED, -1, "");
        }
        if (dryRun) {
            return new DayResult(day, Outcome.WOULD_COMPACT, -1, sources.entries().size() + " CSV files");
        }
        try {
            long rows = write(day.toString(), sources);
            DaySwap.commit(lake, day.toString());
            return new DayResult(day, Outcome.COMPACTED, rows, sources.entries().size() + " CSV files");
        } catch (SQLException e) {
            return new DayResult(day, Outcome.FAILED, -1, "DuckDB: " + e.getMessage().lines().findFirst().orElse("")
                    + (e.getMessage().contains("Out of Memory") ? "; raise wikiedits.compact.memory-limit" : ""));
        }
    }

    /**
     * Writes the day's tables into a fresh staging folder; returns the compacted rows. The compacted table
     * gets one file per raw hour partition (DuckDB sorts an hour, not a day, within its memory limit); the
     * aggregates read those files.
     */
    private long write(String day, SourceFiles sources) throws IOException, SQLException {
        Path staging = DaySwap.stage(lake, day);
        for (String table : BatchTables.TABLES) {
            Files.createDirectories(DaySwap.staged(staging, table));
        }
        Path compacted = DaySwap.staged(staging, BatchTables.COMPACTED);
        Path spill = dataDir.resolve(TEMP_FOLDER);
        Files.createDirectories(spill);
        long memory = limits.memoryBytes();
        try (Connection duckDb = open(); Statement sql = duckDb.createStatement()) {
            sql.execute("SET memory_limit = " + LakeSql.literal(limits.memoryLimit()));
            sql.execute("SET threads = " + limits.threads());
            sql.execute("SET temp_directory = " + LakeSql.literal(spill.toAbsolutePath().normalize().toString()));
            for (Path hour : sources.hourPartitions(lake.resolve(LakeSql.TABLE).resolve("dt=" + day))) {
                String file = "part-" + hour.getFileName().toString().substring("hour=".length()) + ".parquet";
                sql.execute(copy(BatchTables.duckDbCompactedSelect(hour, memory / 16, memory / 8), compacted.resolve(file)));
            }
            String rows = "read_parquet(" + LakeSql.literal(compacted.toAbsolutePath() + "/*.parquet") + ")";
            for (String table : BatchTables.TABLES.subList(1, BatchTables.TABLES.size())) {
                sql.execute(copy(BatchTables.aggregateSelect(table, rows), DaySwap.staged(staging, table).resolve("part-0.parquet")));
            }
            sources.writeTo(compacted);
            try (ResultSet count = sql.executeQuery("SELECT count(*) FROM " + rows)) {
                count.next();
                return count.getLong(1);
            }
        }
    }

    /** Parquet row groups of about an eighth of the memory limit (at about 1 KB a row): the writer holds one in memory. */
    private String copy(String select, Path file) {
        long rowGroup = Math.max(2048, Math.min(122_880, limits.memoryBytes() / 8 / 1024));
        return "COPY (" + select + ") TO " + LakeSql.literal(file.toAbsolutePath().toString())
                + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE " + rowGroup + ")";
    }

    /** An in-memory DuckDB that downloads nothing (Parquet and CSV are built in). */
    private static Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.setProperty("autoload_known_extensions", "false");
        return DriverManager.getConnection("jdbc:duckdb:", properties);
    }
}
