package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.query.SandboxProcess;
import org.wikiedits.query.SqlSandbox;
import org.wikiedits.query.TestLake;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * {@code query --sql} holds its stated limits (512 MB, 10,000 rows) for the whole query process,
 * JVM and DuckDB's native memory together: the command as users run it, with its default limits,
 * the peak read from the line it prints on standard error.
 */
class QuerySqlLimitsIT {

    private static final Pattern PEAK = Pattern.compile("peak (\\d+) MB resident");
    private static final Pattern SECONDS = Pattern.compile("([0-9.]+) s \\(limit");

    @TempDir
    static Path data;

    private static int eventCount;

    private String out = "";
    private String err = "";

    @BeforeAll
    static void writeASmallLake() throws Exception {
        List<RecentChange> events = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            RecentChange rc = RecentChangeReader.read(SyntheticEvents.event(n, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(n)));
            if (!rc.isCanary()) {
                events.add(rc);
            }
        }
        eventCount = events.size();
        TestLake.write(data.resolve("lake"), events, 1);
    }

    @Test
    void aStringPastTheMemoryLimitIsRefusedNamingTheLimit() {
        // DuckDB's native memory (not the JVM heap) holds this 1.5 GB string; it used to succeed at 3 GB resident
        int status = query("--sql", "SELECT length(repeat('x', 1500000000)) FROM wikiedits_v LIMIT 1");

        assertThat(status).as(err).isEqualTo(2);
        assertThat(err).as(err).contains("wikiedits: refused: ").contains("memory limit of 512 MB")
                .contains("wikiedits: --sql stopped at peak "); // by the watchdog: DuckDB does not count this string against its limit
        assertThat(out).isEmpty();
        assertThat(peakMegabytes()).as(err).isLessThan(512 + 64);
    }

    @Test
    void aResultPastTheRowLimitIsRefusedBeforeItIsBuilt() {
        // used to be refused only after DuckDB had built all 100 million rows (950 MB, 7 s)
        int status = query("--sql", "SELECT * FROM range(100000000)");

        assertThat(status).as(err).isEqualTo(2);
        assertThat(err).as(err).contains("wikiedits: refused: the result has more than 10000 rows (the row limit)");
        assertThat(out).isEmpty();
        assertThat(peakMegabytes()).as(err).isLessThan(300);
    }

    @Test
    void aQueryWithinTheLimitsPrintsItsResultAndItsPeak() {
        int status = query("--sql", "SELECT count(*) AS rows FROM wikiedits_v", "--format", "csv");

        assertThat(status).as(err).isZero();
        assertThat(out).isEqualTo("rows\n" + eventCount + "\n");
        assertThat(peakMegabytes()).as(err).isPositive().isLessThan(512);
    }

    @Test
    void aStatementPastTheTimeLimitIsCancelledInTheQueryProcess() {
        int status = sandbox(Duration.ofSeconds(20), "SELECT count(*) FROM range(1000000) a, range(1000000) b"
                + " WHERE a.range + b.range = -1");

        assertThat(status).as(err).isEqualTo(2);
        assertThat(err).as(err).contains("wikiedits: refused: the query ran longer than the time limit of 2 s")
                .doesNotContain("wikiedits: --sql stopped at"); // the query process cancelled it itself
        assertThat(secondsReported()).as(err).isLessThan(2 + 20);
    }

    @Test
    void aQueryProcessThatOutlivesTheTimeLimitIsKilled() {
        // no allowance beyond the limit: the child JVM is still starting when its second is up
        int status = sandbox(Duration.ZERO, "SELECT count(*) FROM range(1000000) a, range(1000000) b WHERE a.range + b.range = -1");

        assertThat(status).as(err).isEqualTo(2);
        assertThat(err).as(err).contains("wikiedits: refused: the query ran longer than the time limit of 2 s")
                .contains("wikiedits: --sql stopped at peak ");
        assertThat(peakMegabytes()).as(err).isLessThan(512);
        assertThat(out).isEmpty();
    }

    private int sandbox(Duration grace, String sql) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            return SandboxProcess.run(data.resolve("lake"), sql, "csv", new SqlSandbox.Limits(512, 2, 1000, Duration.ofSeconds(2)),
                    grace, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }

    private double secondsReported() {
        Matcher seconds = SECONDS.matcher(err);
        assertThat(seconds.find()).as("a line with 'N.N s (limit' on standard error:\n" + err).isTrue();
        return Double.parseDouble(seconds.group(1));
    }

    private long peakMegabytes() {
        Matcher peak = PEAK.matcher(err);
        assertThat(peak.find()).as("a line with 'peak N MB resident' on standard error:\n" + err).isTrue();
        return Long.parseLong(peak.group(1));
    }

    private int query(String... args) {
        Settings settings = Settings.load().with(Map.of("wikiedits.mode", "local", "wikiedits.data.dir", data.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            return QueryCommand.run(settings, args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
