package org.wikiedits.query.athena;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wikiedits.config.Settings;
import org.wikiedits.query.IcebergSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.compaction.ParquetCompaction;

/**
 * {@code compact --parquet --day D|--all} in aws mode: the batch layer as Iceberg tables in the Glue
 * database, built by Athena. Each statement of {@link IcebergSql} goes through the {@code athena-query}
 * route ({@link AthenaQueryRunner}, camel-aws2-athena), one at a time, in this order:
 * <ol>
 *   <li>{@code CREATE TABLE IF NOT EXISTS} for the four tables under {@code s3://<wikiedits.s3.bucket>/compacted/};</li>
 *   <li>per day, the four {@code MERGE}s (the compacted table first: the aggregates read it);</li>
 *   <li>{@code CREATE OR REPLACE VIEW wikiedits_all} (compacted days from the table, the rest raw).</li>
 * </ol>
 * Every statement is idempotent, so a run stopped anywhere is finished by running it again.
 *
 * <p>{@code --all} compacts the complete days after the newest compacted one (every raw day on the first
 * run): finding them costs one query over those raw days only. A day that changed after it was compacted
 * (a backfill) is compacted again with {@code --day}. A day is complete {@code wikiedits.compact.grace}
 * after its end (UTC).
 */
public final class AthenaCompaction {

    public static final String USAGE = """
            Usage (aws mode): compact --parquet --day YYYY-MM-DD | --all
              builds the Iceberg tables wikiedits_compacted, wikiedits_daily_wiki, wikiedits_hourly_type and
              wikiedits_top_pages in the Glue database wikiedits.athena.database (under
              s3://<wikiedits.s3.bucket>/compacted/) with Athena, and the view wikiedits_all
              --day D  that day, again if it was compacted before (complete wikiedits.compact.grace after its end)
              --all    the complete days after the newest compacted one""";

    /** The lake bucket's folder that holds one folder per Iceberg table. */
    public static final String PREFIX = "compacted/";

    /** Runs Athena statements and returns their rows; {@link AthenaQueryRunner#run} in production. */
    interface Statements {
        NamedQueries.Result run(String label, String sql);
    }

    private final IcebergSql sql;
    private final String database;
    private final Statements athena;
    private final PrintStream out;

    AthenaCompaction(IcebergSql sql, String database, Statements athena, PrintStream out) {
        this.sql = sql;
        this.database = database;
        this.athena = athena;
        this.out = out;
    }

    /**
     * {@code compact --parquet} in aws mode, its options parsed by the command: {@code day}, or when empty every
     * complete day not compacted yet ({@code --all}). Starts the Athena routes, compacts; returns the exit status.
     */
    public static int run(Settings settings, Optional<LocalDate> day, PrintStream out, PrintStream err) {
        return run(settings, day, out, err, Clock.systemUTC());
    }

    static int run(Settings settings, Optional<LocalDate> day, PrintStream out, PrintStream err, Clock clock) {
        LocalDate lastComplete;
        IcebergSql sql;
        String database;
        try {
            lastComplete = ParquetCompaction.Limits.of(settings::get).lastCompleteDay(clock.instant());
            database = settings.require("wikiedits.athena.database");
            sql = IcebergSql.athena(database, location(settings.get("wikiedits.s3.bucket")));
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (day.isPresent() && day.get().isAfter(lastComplete)) {
            err.println("wikiedits: " + day.get() + " is not complete yet (a day is complete wikiedits.compact.grace after its"
                    + " end, UTC); the last complete day is " + lastComplete);
            return 2;
        }
        AthenaQueryRunner runner;
        try {
            runner = AthenaQueryRunner.start(settings);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (Exception e) {
            err.println("wikiedits: cannot start the Athena query routes: " + e.getMessage());
            return 1;
        }
        try (runner) {
            new AthenaCompaction(sql, database, (label, text) -> send(runner, label, text), out)
                    .compact(day.map(List::of).orElse(null), lastComplete);
            return 0;
        } catch (Exception e) {
            err.println("wikiedits: compaction failed on Athena (workgroup " + settings.get("wikiedits.athena.workgroup")
                    + "): " + e.getMessage() + "; every statement is idempotent: run the same command again");
            return 1;
        }
    }

    /** Creates the tables, merges {@code days} (or, when {@code null}, the complete days not compacted yet), replaces the view. */
    void compact(List<LocalDate> days, LocalDate lastComplete) {
        List<String> tables = sql.createTables();
        for (int i = 0; i < tables.size(); i++) {
            athena.run("create table " + (i + 1) + "/" + tables.size(), tables.get(i));
        }
        List<LocalDate> toCompact = days != null ? days : daysToCompact(lastComplete);
        for (LocalDate day : toCompact) {
            long started = System.nanoTime();
            List<String> merges = sql.compactDay(day);
            for (int i = 0; i < merges.size(); i++) {
                athena.run("merge " + (i + 1) + "/" + merges.size() + " of " + day, merges.get(i));
            }
            out.printf("dt=%s: compacted (%d MERGE statements, %.1f s)%n", day, merges.size(), (System.nanoTime() - started) / 1e9);
        }
        athena.run("create view " + IcebergSql.ALL_VIEW, sql.createAllView());
        out.printf("%d days compacted into Iceberg in %s; view %s replaced%n", toCompact.size(), database, IcebergSql.ALL_VIEW);
    }

    /** The raw lake's days after the newest compacted one, up to {@code lastComplete}. */
    List<LocalDate> daysToCompact(LocalDate lastComplete) {
        NamedQueries.Result newest = athena.run("newest compacted day", sql.newestCompactedDay());
        Object after = newest.rows().isEmpty() ? null : newest.rows().get(0).get(0);
        NamedQueries.Result raw = athena.run("raw days to compact", sql.rawDays(after == null ? "" : after.toString(), lastComplete));
        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : raw.rows()) {
            if (row.get(0) != null) {
                days.add(LocalDate.parse(row.get(0).toString()));
            }
        }
        return days;
    }

    /** {@code s3://<bucket>/compacted/}: the Iceberg tables live in the lake bucket, beside the raw CSV. */
    static String location(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("compact in aws mode writes Iceberg tables into the lake bucket: set"
                    + " wikiedits.s3.bucket (the stack's output LakeBucketName)");
        }
        return "s3://" + bucket + "/" + PREFIX;
    }

    /** Runs one statement; a refusal from the AWS SDK (no such workgroup, no rights) says which statement it was. */
    private static NamedQueries.Result send(AthenaQueryRunner runner, String label, String sql) {
        try {
            return runner.run(statement(label, sql));
        } catch (AthenaQueryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AthenaQueryException(label + ": " + e.getMessage(), false);
        }
    }

    /** A statement as the athena-query route takes it: a bound query without parameters, named for messages and logs. */
    static NamedQueries.BoundQuery statement(String label, String sql) {
        return new NamedQueries.BoundQuery(new NamedQueries.NamedQuery("compact: " + label, label, sql), sql, List.of());
    }

    private static int usage(PrintStream err, String problem) {
        err.println("wikiedits: " + problem);
        err.println(USAGE);
        return 2;
    }
}
