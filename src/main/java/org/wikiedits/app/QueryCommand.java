package org.wikiedits.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.wikiedits.config.Settings;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.ResultFormat;
import org.wikiedits.query.SandboxProcess;
import org.wikiedits.query.SqlSandbox;
import org.wikiedits.query.athena.AthenaQueryException;
import org.wikiedits.query.athena.AthenaQueryRunner;

/**
 * {@code query <name> [--date YYYY-MM-DD] [--limit N] [--format table|csv|json]} and
 * {@code query --list}: runs a {@link NamedQueries named query}. In local mode it runs on DuckDB
 * over {@code <wikiedits.data.dir>/lake}; in aws mode on Athena over the view {@value LakeSql#VIEW},
 * through the Camel routes of {@code routes/athena/} ({@link AthenaQueryRunner}), printed the same way.
 *
 * <p>Exit status: 0 done, 1 the query failed (the message says why), 2 usage or mode problem.
 * Results go to standard output, everything else to standard error.
 */
public final class QueryCommand {

    public static final String USAGE = """
            Usage: query <name> [--date YYYY-MM-DD] [--limit N] [--format table|csv|json]
                   query --sql "SELECT ... FROM wikiedits_v ..." [--format table|csv|json]
                   query --list
              --date    only that day (UTC, the lake's dt partition); default: every day
              --limit   at most N rows (top_pages: N pages per day and wiki); default %d
              --format  table (default), csv (RFC 4180 with a header) or json (an array of objects)
              --sql     one read-only SELECT over the view wikiedits_v (local lake only), in a DuckDB sandbox
                        that reads only the lake, in a query process of its own: at most %d MB resident memory
                        (JVM and DuckDB together), %d threads, %d rows, %d s; past a limit it is stopped and
                        refused (exit status 2); standard error ends with its peak memory and time""".formatted(
            NamedQueries.DEFAULT_LIMIT, SqlSandbox.Limits.DEFAULT.memoryMb(), SqlSandbox.Limits.DEFAULT.threads(),
            SqlSandbox.Limits.DEFAULT.maxRows(), SqlSandbox.Limits.DEFAULT.timeout().toSeconds());


    private QueryCommand() {
    }

    /** Runs the subcommand with standard output and error; returns the exit status. */
    public static int run(Settings settings, String[] args) {
        return run(settings, args, System.out, System.err);
    }

    static int run(Settings settings, String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (arguments.help) {
            out.println(USAGE);
            out.println("The named queries:");
            listQueries(out, "  ");
            return 0;
        }
        if (arguments.list) {
            listQueries(out, "");
            return 0;
        }
        String mode = settings.get("wikiedits.mode");
        if (!mode.equals("local") && !mode.equals("aws")) {
            err.println("wikiedits: wikiedits.mode must be 'local' or 'aws', not '" + mode + "'");
            return 2;
        }
        Path lake = null;
        if (mode.equals("local")) {
            try {
                lake = settings.dataDir().resolve("lake");
            } catch (IllegalArgumentException e) {
                err.println("wikiedits: " + e.getMessage());
                return 2;
            }
        }
        if (arguments.sql != null) {
            if (mode.equals("aws")) {
                err.println("wikiedits: --sql runs on the local lake only (DuckDB); in aws mode use the named queries, or"
                        + " Athena itself on the view " + LakeSql.VIEW + " (workgroup " + settings.get("wikiedits.athena.workgroup") + ")");
                return 2;
            }
            return runInSandbox(lake, arguments, out, err);
        }
        NamedQueries.BoundQuery bound;
        try {
            bound = arguments.query.bind(arguments.date, arguments.limit);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage());
            return 2;
        }
        return mode.equals("aws") ? runOnAthena(settings, arguments, bound, out, err)
                : runOnDuckDb(lake, arguments, bound, out, err);
    }

    /** Each named query with what it answers, one a line. */
    private static void listQueries(PrintStream out, String indent) {
        for (NamedQueries.NamedQuery query : NamedQueries.all()) {
            out.printf("%s%-14s %s%n", indent, query.name(), query.description());
        }
    }

    /** Local mode: DuckDB over {@code <wikiedits.data.dir>/lake}. */
    private static int runOnDuckDb(Path lake, Arguments arguments, NamedQueries.BoundQuery bound, PrintStream out,
            PrintStream err) {
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            if (!LakeSql.hasLakeFiles(duckDb, lake)) {
                err.println("wikiedits: no lake files match " + LakeSql.duckDbGlob(lake) + " yet; the result is empty");
            }
            ResultFormat.print(bound.run(duckDb), arguments.format, out);
            return 0;
        } catch (SQLException e) {
            err.println("wikiedits: " + arguments.query.name() + " failed on the lake at " + lake.toAbsolutePath().normalize()
                    + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Local mode, {@code --sql}: one SELECT in the {@link SqlSandbox} over {@code <wikiedits.data.dir>/lake}, in a
     * child process held to the limits as a whole ({@link SandboxProcess}).
     */
    private static int runInSandbox(Path lake, Arguments arguments, PrintStream out, PrintStream err) {
        return SandboxProcess.run(lake, arguments.sql, arguments.format, SqlSandbox.Limits.DEFAULT, out, err);
    }

    /**
     * Aws mode: Athena over the view {@value LakeSql#VIEW}, through the Camel routes of
     * {@code routes/athena/} in a context of their own (no pipeline, no embedded node).
     */
    private static int runOnAthena(Settings settings, Arguments arguments, NamedQueries.BoundQuery bound, PrintStream out,
            PrintStream err) {
        AthenaQueryRunner runner;
        try {
            runner = AthenaQueryRunner.start(settings);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("wikiedits: cannot start the Athena query routes: " + e.getMessage());
            return 1;
        }
        try (runner) {
            ResultFormat.print(runner.run(bound), arguments.format, out);
            return 0;
        } catch (AthenaQueryException e) {
            err.println("wikiedits: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("wikiedits: " + arguments.query.name() + " failed on Athena (workgroup "
                    + settings.get("wikiedits.athena.workgroup") + "): " + e.getMessage());
            return 1;
        }
    }

    /** The parsed command line. */
    private static final class Arguments {
        NamedQueries.NamedQuery query;
        String sql;
        Optional<LocalDate> date = Optional.empty();
        int limit = NamedQueries.DEFAULT_LIMIT;
        String format = "table";
        boolean list;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--list", "-l" -> parsed.list = true;
                    case "--help", "-h" -> parsed.help = true;
                    case "--date" -> parsed.date = Optional.of(NamedQueries.parseDate(value(args, ++i, arg)));
                    case "--limit" -> parsed.limit = parseLimit(value(args, ++i, arg));
                    case "--format" -> parsed.format = parseFormat(value(args, ++i, arg));
                    case "--sql" -> parsed.sql = value(args, ++i, arg);
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option '" + arg + "'");
                        }
                        if (parsed.query != null) {
                            throw new IllegalArgumentException("one query at a time, not '" + parsed.query.name()
                                    + "' and '" + arg + "'");
                        }
                        parsed.query = NamedQueries.byName(arg);
                    }
                }
            }
            if (parsed.query != null && parsed.sql != null) {
                throw new IllegalArgumentException("either a query name or --sql, not both");
            }
            if (parsed.sql != null && (parsed.date.isPresent() || parsed.limit != NamedQueries.DEFAULT_LIMIT)) {
                throw new IllegalArgumentException("--date and --limit belong to the named queries; with --sql, write them"
                        + " into the SELECT (WHERE dt = '2026-11-25' ... LIMIT 10)");
            }
            if (parsed.query == null && parsed.sql == null && !parsed.list && !parsed.help) {
                throw new IllegalArgumentException("which query? Give a name (query --list shows them) or --sql \"SELECT ...\"");
            }
            return parsed;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int parseLimit(String text) {
            try {
                int limit = Integer.parseInt(text);
                if (limit >= 1 && limit <= NamedQueries.MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // the message below says what is expected
            }
            throw new IllegalArgumentException("--limit must be a whole number from 1 to " + NamedQueries.MAX_LIMIT
                    + ", not '" + text + "'");
        }

        private static String parseFormat(String text) {
            String format = text.toLowerCase(Locale.ROOT);
            if (!List.of("table", "csv", "json").contains(format)) {
                throw new IllegalArgumentException("--format must be table, csv or json, not '" + text + "'");
            }
            return format;
        }
    }
}
