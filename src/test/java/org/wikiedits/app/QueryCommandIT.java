package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.TestLake;
import org.wikiedits.transform.RecentChange;

/** The query subcommand through its run method, standard output and error captured. */
class QueryCommandIT {

    @TempDir
    Path data;

    private String out = "";
    private String err = "";

    @Test
    void totalAsCsvCountsRecordsEventsAndDuplicates() {
        writeLake();

        int status = query("local", "total", "--format", "csv");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("records,events,duplicates\n4,3,1\n");
        assertThat(err).isEmpty();
    }

    @Test
    void dailyCountsForADayAsJsonAreTypedObjects() throws Exception {
        writeLake();

        int status = query("local", "daily_counts", "--date", "2026-08-04", "--format", "json");

        assertThat(status).isZero();
        JsonNode rows = new ObjectMapper().readTree(out);
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.get(0).toString()).isEqualTo("{\"dt\":\"2026-08-04\",\"wiki\":\"enwiki\",\"type\":\"edit\",\"events\":2}");
        assertThat(rows.get(1).toString()).isEqualTo("{\"dt\":\"2026-08-04\",\"wiki\":\"dewiki\",\"type\":\"log\",\"events\":1}");
    }

    @Test
    void theDefaultFormatIsAnAlignedTableWithARowCount() {
        writeLake();

        int status = query("local", "top_pages", "--limit", "1");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("""
                dt         | wiki   | title           | edits | page_rank
                -----------+--------+-----------------+-------+----------
                2026-08-04 | enwiki | "Quoted", title |     2 |         1
                (1 row)
                """);
    }

    @Test
    void listNamesEveryQueryWithItsDescription() {
        int status = query("aws", "--list");

        assertThat(status).isZero();
        for (NamedQueries.NamedQuery q : NamedQueries.all()) {
            assertThat(out).contains(q.name() + " ").contains(q.description());
        }
    }

    @Test
    void anUnknownModeIsAUsageError() {
        int status = query("cloud", "total");

        assertThat(status).isEqualTo(2);
        assertThat(err).contains("wikiedits.mode must be 'local' or 'aws'");
    }

    @Test
    void anEmptyLakeGivesZeroTotalsAndSaysSo() {
        int status = query("local", "total", "--format", "csv");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("records,events,duplicates\n0,0,0\n");
        assertThat(err).contains("no lake files");
    }

    @Test
    void unknownQueriesBadDatesLimitsAndFormatsAreUsageErrors() {
        assertThat(query("local", "drop_table")).isEqualTo(2);
        assertThat(err).contains("no query named 'drop_table'").contains("daily_counts, bot_share, top_pages, total");

        assertThat(query("local", "total", "--date", "2026-02-30")).isEqualTo(2);
        assertThat(err).contains("--date must be a day as YYYY-MM-DD");

        assertThat(query("local", "total", "--date", "2026-08-04' OR 1=1 --")).isEqualTo(2);

        assertThat(query("local", "total", "--limit", "0")).isEqualTo(2);
        assertThat(err).contains("--limit must be a whole number");

        assertThat(query("local", "total", "--format", "xml")).isEqualTo(2);
        assertThat(err).contains("--format must be table, csv or json");

        assertThat(query("local")).isEqualTo(2);
        assertThat(err).contains("which query?").contains("Usage: query");

        assertThat(query("local", "total", "--date")).isEqualTo(2);
        assertThat(err).contains("--date needs a value");
        assertThat(out).isEmpty();
    }

    @Test
    void sqlRunsOneSelectOverTheTypedViewOfTheLake() {
        writeLake();

        int status = query("local", "--sql", "SELECT wiki, count(DISTINCT event_id) AS events FROM wikiedits_v GROUP BY wiki"
                + " ORDER BY wiki", "--format", "csv");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("wiki,events\ndewiki,1\nenwiki,2\n");
    }

    @Test
    void sqlThatIsNotASelectIsRefusedWithExitStatus2() {
        writeLake();

        int status = query("local", "--sql", "COPY (SELECT * FROM wikiedits_v) TO 'stolen.csv'");

        assertThat(status).isEqualTo(2);
        assertThat(err).startsWith("wikiedits: refused: only a read-only SELECT may run here");
        assertThat(out).isEmpty();
    }

    @Test
    void sqlIsForTheLocalLakeOnlyAndTakesNoNameDateOrLimit() {
        assertThat(query("aws", "--sql", "SELECT 1")).isEqualTo(2);
        assertThat(err).contains("--sql runs on the local lake only");
        assertThat(query("local", "total", "--sql", "SELECT 1")).isEqualTo(2);
        assertThat(err).contains("either a query name or --sql, not both");
        assertThat(query("local", "--sql", "SELECT 1", "--date", "2026-08-04")).isEqualTo(2);
        assertThat(err).contains("--date and --limit belong to the named queries");
    }

    private void writeLake() {
        List<RecentChange> events = new ArrayList<>();
        events.add(event("e1", "2026-08-04T10:00:00.001Z", "enwiki", "edit", "\"Quoted\", title"));
        events.add(event("e2", "2026-08-04T11:30:00.002Z", "enwiki", "edit", "\"Quoted\", title"));
        events.add(event("e3", "2026-08-04T23:59:59.999Z", "dewiki", "log", "Spezial:Log"));
        events.add(events.get(0)); // a repeated delivery
        TestLake.write(data.resolve("lake"), events, 2);
    }

    private static RecentChange event(String id, String time, String wiki, String type, String title) {
        return new RecentChange(id, Instant.parse(time), null, null, null, type, wiki, null, 0, title, "U", false,
                null, null, null, null, null, null, null, null, null);
    }

    private int query(String mode, String... args) {
        Settings settings = Settings.load().with(Map.of("wikiedits.mode", mode, "wikiedits.data.dir", data.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            return QueryCommand.run(settings, args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            out = stdout.toString(StandardCharsets.UTF_8);
            err = stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
