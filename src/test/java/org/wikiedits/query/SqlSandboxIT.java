package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * {@code query --sql}'s DuckDB sandbox over a real lake folder: a legitimate aggregate works,
 * and every way out (writing, attaching, extensions, settings, other files, two statements, a
 * runaway query, too many rows) is refused with a message naming the rule or the limit.
 */
class SqlSandboxIT {

    private static final SqlSandbox.Limits TEST_LIMITS = new SqlSandbox.Limits(256, 2, 1000, Duration.ofSeconds(2));

    @TempDir
    Path data;

    private final List<RecentChange> events = new ArrayList<>();
    private SqlSandbox sandbox;

    @BeforeEach
    void openOverASmallLake() throws Exception {
        for (int n = 1; n <= 300; n++) {
            RecentChange rc = RecentChangeReader.read(SyntheticEvents.event(n, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(n * 30L)));
            if (!rc.isCanary()) {
                events.add(rc);
            }
        }
        TestLake.write(data.resolve("lake"), events, 2);
        sandbox = SqlSandbox.open(data.resolve("lake"), TEST_LIMITS);
    }

    @AfterEach
    void close() throws Exception {
        sandbox.close();
    }

    @Test
    void aLegitimateAggregateOverTheLakeWorks() throws Exception {
        NamedQueries.Result result = sandbox.run("""
                SELECT wiki, count(DISTINCT event_id) AS events FROM wikiedits_v
                WHERE dt = '2026-11-25' GROUP BY wiki ORDER BY wiki""");

        Map<String, Long> expected = new TreeMap<>();
        events.forEach(rc -> expected.merge(rc.wiki(), 1L, Long::sum));
        Map<String, Long> actual = new TreeMap<>();
        result.rows().forEach(row -> actual.put((String) row.get(0), ((Number) row.get(1)).longValue()));
        assertThat(result.columns()).containsExactly("wiki", "events");
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void copyIsRefused() throws Exception {
        assertRefused("COPY (SELECT * FROM wikiedits_v) TO '" + data.resolve("out.csv") + "'", "only a read-only SELECT");
        assertThat(Files.exists(data.resolve("out.csv"))).isFalse();
    }

    @Test
    void attachIsRefused() {
        assertRefused("ATTACH '" + data.resolve("other.duckdb") + "' AS other", "only a read-only SELECT");
    }

    @Test
    void installAndLoadAreRefused() {
        assertRefused("INSTALL httpfs", "only a read-only SELECT");
        assertRefused("LOAD httpfs", "only a read-only SELECT");
    }

    @Test
    void createAndInsertAreRefused() {
        assertRefused("CREATE TABLE copy AS SELECT * FROM wikiedits_v", "only a read-only SELECT");
        assertRefused("INSERT INTO wikiedits_v VALUES (1)", "only a read-only SELECT");
    }

    @Test
    void aDataModifyingCteIsRefusedByTheStatementCheckNotOnlyByTheBinder() {
        // json_serialize_sql serialises these as SELECTs with an INSERT/UPDATE/DELETE node inside
        assertRefused("WITH x AS (INSERT INTO wikiedits_v VALUES (1) RETURNING *) SELECT * FROM x", "only a read-only SELECT");
        assertRefused("WITH x AS (UPDATE wikiedits_v SET wiki = 'x' RETURNING *) SELECT * FROM x", "only a read-only SELECT");
        assertRefused("WITH x AS (DELETE FROM wikiedits_v RETURNING *) SELECT * FROM x", "only a read-only SELECT");
        assertRefused("SELECT * FROM (WITH x AS (INSERT INTO wikiedits_v VALUES (1) RETURNING *) SELECT * FROM x)",
                "only a read-only SELECT");
        assertRefused("SELECT 1 UNION ALL (WITH x AS (DELETE FROM wikiedits_v RETURNING *) SELECT count(*) FROM x)",
                "only a read-only SELECT");
    }

    @Test
    void pragmaAndSetAreRefused() {
        assertRefused("PRAGMA enable_external_access", "only a read-only SELECT");
        assertRefused("SET enable_external_access = true", "only a read-only SELECT");
        assertRefused("SET memory_limit = '100GB'", "only a read-only SELECT");
    }

    @Test
    void readingAFileOutsideTheLakeIsRefused() {
        assertRefused("SELECT * FROM read_csv('/etc/passwd')", "only the lake can be read");
        assertRefused("SELECT * FROM read_text('" + data.resolve("lake/../../etc/passwd") + "')", "only the lake can be read");
    }

    @Test
    void twoStatementsInOneAreRefused() {
        assertRefused("SELECT 1; SELECT 2", "one statement at a time: this text holds 2");
        assertRefused("SELECT count(*) FROM wikiedits_v; COPY wikiedits_v TO 'x.csv'", "only a read-only SELECT");
    }

    @Test
    void aRunawayCrossJoinIsCancelledAtTheTimeLimit() {
        long started = System.nanoTime();

        // about 290^4 = 7 billion rows of the lake joined with itself: only time stops it, not memory
        assertRefused("SELECT count(*) FROM wikiedits_v a, wikiedits_v b, wikiedits_v c, wikiedits_v d"
                + " WHERE a.title || b.user || c.wiki || d.comment = 'no such text'",
                "longer than the time limit of 2 s");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aResultBeyondTheRowLimitIsRefused() {
        assertRefused("SELECT * FROM range(5000)", "more than 1000 rows (the row limit)");
    }

    @Test
    void aQueryBeyondTheMemoryLimitIsRefused() throws Exception {
        try (SqlSandbox small = SqlSandbox.open(data.resolve("lake"), new SqlSandbox.Limits(32, 1, 10, Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> small.run("SELECT count(DISTINCT s) FROM (SELECT repeat('x', 100) || i AS s FROM range(3000000) t(i))"))
                    .isInstanceOf(SqlSandbox.Refused.class).hasMessageContaining("memory limit of 32 MB");
        }
    }

    @Test
    void theConfigurationStaysLockedAfterARefusal() throws Exception {
        assertRefused("SET enable_external_access = true", "only a read-only SELECT");

        NamedQueries.Result settings = sandbox.run(
                "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked");
        assertThat(settings.rows().get(0)).containsExactly(false, true);
    }

    private void assertRefused(String sql, String reason) {
        assertThatThrownBy(() -> sandbox.run(sql)).as(sql).isInstanceOf(SqlSandbox.Refused.class).hasMessageContaining(reason);
    }
}
