package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wikiedits.testing.Samples;
import org.wikiedits.testing.TrinoServer;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.LakeColumn;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The Athena SQL of the project runs on Trino (Athena engine v3's engine family) over a real lake
 * and gives the same results as DuckDB: a Hive CSV table declared as the Glue table is (every
 * column a string, OpenCSVSerde with the {@link LakeSql#glueSerdeParameters()}, partitions
 * {@code dt}/{@code hour}), the view from {@link LakeSql#athenaCreateView} exactly as the deploy
 * creates it, and every named query with its parameters bound by the engine as Athena's
 * {@code ExecutionParameters} are. The lake holds the fixture events, tricky strings and numbers,
 * the recorded samples (when present) and repeated deliveries, written as lake rows by
 * {@code CsvRow} (commons-csv).
 */
class AthenaSqlOnTrinoIT {

    private static final String DATABASE = "wikiedits";
    /** Two fifths of the tricky events fall on this day ({@link TestLake#trickyEvents}). */
    private static final LocalDate DAY = LocalDate.parse("2026-08-04");

    @TempDir
    static Path root;

    private static TrinoServer trino;
    private static Connection duckDb;
    private static final List<RecentChange> delivered = new ArrayList<>();

    @BeforeAll
    static void startTrinoOverALake() throws Exception {
        long started = System.nanoTime();
        trino = TrinoServer.start(root);
        System.out.printf("Trino %s ready after %.1f s on port %d%n", TrinoServer.VERSION,
                (System.nanoTime() - started) / 1e9, trino.port());

        List<RecentChange> events = new ArrayList<>();
        Fixtures.eventNames().forEach(name -> events.add(Fixtures.recentChange(name)));
        events.addAll(TestLake.trickyEvents(20261130L, 400));
        for (String line : Samples.linesIfPresent()) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) { // the pipeline drops canaries before the lake
                    events.add(rc);
                }
            } catch (MalformedEventException e) {
                // a dead letter in the pipeline, never a lake row
            }
        }
        delivered.addAll(events);
        for (int i = 0; i < events.size(); i += 11) {
            delivered.add(events.get(i)); // a repeated delivery, as Firehose makes them
        }
        Path lake = root.resolve("lake");
        TestLake.write(lake, delivered, 3);
        duckDb = LakeSql.openDuckDb(lake);

        trino.query(null, "CREATE SCHEMA " + LakeSql.quote(DATABASE));
        trino.query(DATABASE, createGlueLikeTable(trino.localUri(lake.resolve(LakeSql.TABLE))));
        trino.query(DATABASE, "CALL system.sync_partition_metadata(" + LakeSql.literal(DATABASE) + ", "
                + LakeSql.literal(LakeSql.TABLE) + ", 'FULL')");
        trino.query(DATABASE, LakeSql.athenaCreateView(DATABASE, LakeSql.TABLE));
        trino.query(DATABASE, LakeSql.athenaCreateAllView(DATABASE));
        System.out.printf("lake of %d rows (%d events) ready in Trino after %.1f s%n", delivered.size(), events.size(),
                (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        if (duckDb != null) {
            duckDb.close();
        }
        if (trino != null) {
            trino.close();
        }
    }

    @Test
    void theViewOnTrinoHasTheLakeColumnsWithTheirAthenaTypesThenDtAndHour() throws Exception {
        TrinoServer.Result result = trino.query(DATABASE, "SELECT * FROM " + LakeSql.VIEW + " LIMIT 0");

        List<String> expectedColumns = new ArrayList<>();
        List<String> expectedTypes = new ArrayList<>();
        for (LakeColumn column : LakeColumn.values()) {
            expectedColumns.add(column.columnName());
            expectedTypes.add(column.type().athenaType());
        }
        expectedColumns.addAll(LakeSql.PARTITION_COLUMNS);
        LakeSql.PARTITION_COLUMNS.forEach(p -> expectedTypes.add("varchar"));
        assertThat(result.columns()).containsExactlyElementsOf(expectedColumns);
        assertThat(result.types()).containsExactlyElementsOf(expectedTypes);
    }

    @Test
    void everyColumnOfEveryRowOfTheViewIsTheSameOnTrinoAsOnDuckDb() throws Exception {
        String sql = "SELECT * FROM " + LakeSql.VIEW;
        TrinoServer.Result onTrino = trino.query(DATABASE, sql);
        List<String> duckDbColumns = new ArrayList<>();
        List<List<Object>> onDuckDb = new ArrayList<>();
        try (Statement statement = duckDb.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                duckDbColumns.add(meta.getColumnLabel(c));
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.add(meta.getColumnType(c) == Types.TIMESTAMP
                            ? epochMillis(rs.getObject(c, LocalDateTime.class))
                            : normalised(rs.getObject(c)));
                }
                onDuckDb.add(row);
            }
        }

        assertThat(onTrino.columns()).containsExactlyElementsOf(duckDbColumns);
        assertThat(onTrino.rows()).as("rows on Trino").hasSize(delivered.size());
        assertThat(onDuckDb).as("rows on DuckDB").hasSize(delivered.size());
        assertSameRows(sql, onTrino.columns(), normalised(onTrino), onDuckDb, false);
        System.out.printf("view: %d rows x %d columns compared%n", onDuckDb.size(), duckDbColumns.size());
    }

    static Stream<Arguments> namedQueriesForAllDaysAndForOneDay() {
        return NamedQueries.all().stream().flatMap(q -> Stream.of(
                Arguments.of(q.name(), "all days", Optional.empty()),
                Arguments.of(q.name(), DAY.toString(), Optional.of(DAY))));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("namedQueriesForAllDaysAndForOneDay")
    void theNamedQueryGivesTheSameRowsInTheSameOrderOnTrinoAsOnDuckDb(String name, String days, Optional<LocalDate> date)
            throws Exception {
        NamedQueries.BoundQuery bound = NamedQueries.byName(name).bind(date, NamedQueries.DEFAULT_LIMIT);

        // Athena's ExecutionParameters are literals the engine binds to the ?s in order: Trino's EXECUTE ... USING
        TrinoServer.Result onTrino = trino.query(DATABASE, "EXECUTE IMMEDIATE " + LakeSql.literal(bound.sql())
                + " USING " + String.join(", ", bound.athenaExecutionParameters()));
        NamedQueries.Result onDuckDb = bound.run(duckDb);

        assertThat(onTrino.columns()).containsExactlyElementsOf(onDuckDb.columns());
        assertThat(onDuckDb.rows()).as("rows of %s for %s", name, days).isNotEmpty();
        List<List<Object>> duckDbRows = onDuckDb.rows().stream().map(row -> row.stream().map(v -> normalised(v)).toList())
                .toList();
        assertSameRows(name + " for " + days, onTrino.columns(), normalised(onTrino), duckDbRows, true);
        System.out.printf("%s for %s: %d rows compared%n", name, days, duckDbRows.size());
    }

    // ---------------------------------------------------------------- the batch layer's Iceberg statements

    /**
     * {@link IcebergSql} on Trino's Iceberg connector, over a lake of its own (three days, repeated
     * deliveries, two differing rows of one id): the same text Athena receives, except the
     * {@code CREATE TABLE} ({@link IcebergSql.Engine}) and the catalog names. Days 1 and 2 are
     * compacted, day 3 stays raw.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class IcebergCompaction {

        private static final String SCHEMA = "batch";
        private final List<LocalDate> compactedDays = List.of(LocalDate.parse("2026-08-01"), LocalDate.parse("2026-08-02"));
        private final LocalDate rawDay = LocalDate.parse("2026-08-03");
        private final List<RecentChange> batchDelivered = new ArrayList<>();
        private Path batchLake;
        private IcebergSql sql;
        private RecentChange twin;

        @BeforeAll
        void compactTwoDaysOfALakeWithRepeats() throws Exception {
            long started = System.nanoTime();
            List<RecentChange> events = BatchFixture.events(20261207L, 900,
                    compactedDays.get(0), compactedDays.get(1), rawDay);
            batchDelivered.addAll(events);
            for (int i = 0; i < events.size(); i += 7) {
                batchDelivered.add(events.get(i)); // a repeated delivery
            }
            // two differing rows of one id (same time; another comment): a plain DISTINCT would keep both
            twin = events.get(3);
            batchDelivered.add(BatchFixture.withComment(twin, "zz a later copy that differs"));
            batchDelivered.add(BatchFixture.withComment(twin, "aa an earlier copy that differs"));
            batchLake = root.resolve("batch-lake");
            TestLake.write(batchLake, batchDelivered, 2);

            trino.query(null, "CREATE SCHEMA " + LakeSql.quote(SCHEMA));
            trino.query(SCHEMA, createGlueLikeTable(trino.localUri(batchLake.resolve(LakeSql.TABLE))));
            trino.query(SCHEMA, "CALL system.sync_partition_metadata(" + LakeSql.literal(SCHEMA) + ", "
                    + LakeSql.literal(LakeSql.TABLE) + ", 'FULL')");
            trino.query(SCHEMA, LakeSql.athenaCreateView(SCHEMA, LakeSql.TABLE));
            trino.query(TrinoServer.ICEBERG_CATALOG, null, "CREATE SCHEMA " + LakeSql.quote(SCHEMA));
            sql = IcebergSql.trino(TrinoServer.ICEBERG_CATALOG, TrinoServer.CATALOG, SCHEMA,
                    trino.localUri(root.resolve("batch-compacted")));
            for (String statement : sql.createTables()) {
                trino.query(SCHEMA, statement);
            }
            trino.query(SCHEMA, sql.createAllView());
            for (LocalDate day : compactedDays) {
                runAll(sql.compactDay(day));
            }
            System.out.printf("Iceberg: %d lake rows, %d days compacted after %.1f s%n", batchDelivered.size(),
                    compactedDays.size(), (System.nanoTime() - started) / 1e9);
        }

        @Test
        @Order(1)
        void aCompactedDayHasOneRowPerDistinctEventIdOfItsCsv() throws Exception {
            for (LocalDate day : compactedDays) {
                long distinctIds = batchDelivered.stream().filter(rc -> BatchFixture.day(rc).equals(day))
                        .map(RecentChange::eventId).distinct().count();
                List<List<Object>> rows = rows("SELECT count(*), count(DISTINCT event_id) FROM "
                        + sql.table(IcebergSql.COMPACTED) + " WHERE dt = DATE " + LakeSql.literal(day.toString()));
                assertThat(rows).as("rows and distinct event_ids of %s", day)
                        .containsExactly(List.of(normalised(distinctIds), normalised(distinctIds)));
            }
            assertThat(count(IcebergSql.COMPACTED, rawDay)).as("rows of the day not compacted").isZero();
        }

        @Test
        @Order(2)
        void ofTwoDifferingRowsOfOneIdTheSmallerStays() throws Exception {
            TrinoServer.Result kept = trino.query(SCHEMA, "SELECT comment FROM " + sql.table(IcebergSql.COMPACTED)
                    + " WHERE event_id = " + LakeSql.literal(twin.eventId()));
            assertThat(kept.rows()).containsExactly(List.of("aa an earlier copy that differs"));
        }

        @Test
        @Order(3)
        void theCompactedColumnsAreTheContractsTypedColumnsThenDt() throws Exception {
            TrinoServer.Result result = trino.query(SCHEMA, "SELECT * FROM " + sql.table(IcebergSql.COMPACTED) + " LIMIT 0");
            List<String> expected = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (LakeColumn column : LakeColumn.values()) {
                expected.add(column.columnName());
                types.add(column.type().athenaType()); // the protocol names timestamp(6) "timestamp" as timestamp(3)
            }
            expected.add("dt");
            types.add("date");
            assertThat(result.columns()).containsExactlyElementsOf(expected);
            assertThat(result.types()).containsExactlyElementsOf(types);
        }

        @Test
        @Order(3)
        void theDaysLeftToCompactAreTheRawDaysAfterTheNewestCompactedOne() throws Exception {
            List<List<Object>> newest = rows(sql.newestCompactedDay());
            assertThat(newest).containsExactly(List.of(compactedDays.get(1).toString()));

            assertThat(rows(sql.rawDays(compactedDays.get(1).toString(), rawDay))).containsExactly(List.of(rawDay.toString()));
            assertThat(rows(sql.rawDays("", rawDay.minusDays(1)))).as("nothing compacted yet, up to the day before the last")
                    .containsExactly(List.of(compactedDays.get(0).toString()), List.of(compactedDays.get(1).toString()));
        }

        @Test
        @Order(4)
        void theAggregatesEqualValuesComputedInJavaFromTheDuckDbView() throws Exception {
            BatchFixture.Expected expected;
            try (Connection duck = LakeSql.openDuckDb(batchLake)) {
                expected = BatchFixture.expected(duck, compactedDays);
            }
            assertThat(rows("SELECT dt, wiki, edits, new_pages, bot_share, distinct_users, bytes_added, bytes_removed FROM "
                    + sql.table(IcebergSql.DAILY_WIKI))).as(IcebergSql.DAILY_WIKI)
                    .containsExactlyInAnyOrderElementsOf(normalisedRows(expected.dailyWiki()));
            assertThat(rows("SELECT dt, hour, type, events FROM " + sql.table(IcebergSql.HOURLY_TYPE)))
                    .as(IcebergSql.HOURLY_TYPE).containsExactlyInAnyOrderElementsOf(normalisedRows(expected.hourlyType()));
            assertThat(rows("SELECT dt, rank, wiki, title, edits FROM " + sql.table(IcebergSql.TOP_PAGES)))
                    .as(IcebergSql.TOP_PAGES).containsExactlyInAnyOrderElementsOf(normalisedRows(expected.topPages()));
            assertThat(expected.topPages()).as("top pages of both days (fixture check)").hasSize(2 * IcebergSql.TOP_PAGES_PER_DAY);
        }

        @Test
        @Order(5)
        void aReRunChangesNoRowOfAnyTable() throws Exception {
            Map<String, List<List<Object>>> before = everyTable();
            List<Object> affected = new ArrayList<>();
            for (LocalDate day : compactedDays) {
                for (String statement : sql.compactDay(day)) {
                    affected.add(trino.query(SCHEMA, statement).rows().get(0).get(0));
                }
            }
            assertThat(affected.stream().map(v -> normalised(v)).toList()).as("rows each MERGE of the re-run inserted, updated or deleted").containsOnly(normalised(0));
            assertThat(everyTable()).isEqualTo(before);
        }

        @Test
        @Order(6)
        void wikieditsAllCountsEachEventOnceAndAnswersTheNamedQueriesAsTheRawView() throws Exception {
            List<List<Object>> perDay = rows("SELECT dt, count(*), count(DISTINCT event_id) FROM "
                    + IcebergSql.ALL_VIEW + " GROUP BY dt ORDER BY dt");
            List<List<Object>> expected = new ArrayList<>();
            for (LocalDate day : List.of(compactedDays.get(0), compactedDays.get(1), rawDay)) {
                long ids = batchDelivered.stream().filter(rc -> BatchFixture.day(rc).equals(day)).map(RecentChange::eventId)
                        .distinct().count();
                expected.add(List.of(day.toString(), normalised(ids), normalised(ids)));
            }
            assertThat(perDay).containsExactlyElementsOf(expected);

            TrinoServer.Result columns = trino.query(SCHEMA, "SELECT * FROM " + IcebergSql.ALL_VIEW + " LIMIT 0");
            TrinoServer.Result raw = trino.query(SCHEMA, "SELECT * FROM " + LakeSql.VIEW + " LIMIT 0");
            assertThat(columns.columns()).containsExactlyElementsOf(raw.columns());
            assertThat(columns.types()).containsExactlyElementsOf(raw.types());

            for (NamedQueries.NamedQuery query : NamedQueries.all()) {
                if (query == NamedQueries.TOTAL) {
                    continue; // counts records, which the view has once each by design
                }
                NamedQueries.BoundQuery bound = query.bind(Optional.empty(), NamedQueries.DEFAULT_LIMIT);
                String using = " USING " + String.join(", ", bound.athenaExecutionParameters());
                TrinoServer.Result overRaw = trino.query(SCHEMA, "EXECUTE IMMEDIATE " + LakeSql.literal(bound.sql()) + using);
                TrinoServer.Result overAll = trino.query(SCHEMA, "EXECUTE IMMEDIATE "
                        + LakeSql.literal(bound.sql().replace(LakeSql.VIEW, IcebergSql.ALL_VIEW)) + using);
                assertThat(overAll.rows()).as(query.name()).isNotEmpty().containsExactlyElementsOf(overRaw.rows());
            }
        }

        @Test
        @Order(6)
        void aDayFilterOnWikieditsAllReadsOnlyThatDaysRawPartitions() throws Exception {
            String plan = trino.query(SCHEMA, "EXPLAIN SELECT count(*) FROM " + IcebergSql.ALL_VIEW
                    + " WHERE dt BETWEEN '2026-08-03' AND '2026-08-03'").rows().toString();

            // the raw branch's window is partitioned by dt, so the filter reaches the Hive scan: one dt value listed
            assertThat(plan).contains("table = hive:" + SCHEMA + ":" + LakeSql.TABLE).contains(":: [[2026-08-03]]");
        }

        @Test
        @Order(7)
        void aLateEventAndAStaleAggregateRowAreSettledByTheNextRun() throws Exception {
            LocalDate day = compactedDays.get(0);
            RecentChange late = BatchFixture.events(77L, 1, day, day, day).get(0);
            Path partition = TestLake.partition(batchLake, late.eventTime());
            Files.writeString(partition.resolve("late.csv"), org.wikiedits.transform.CsvRow.of(late));
            trino.query(SCHEMA, "INSERT INTO " + sql.table(IcebergSql.DAILY_WIKI) + " (dt, wiki, edits) VALUES (DATE "
                    + LakeSql.literal(day.toString()) + ", 'a wiki without events', 1)");
            long before = count(IcebergSql.COMPACTED, day);

            runAll(sql.compactDay(day));

            assertThat(count(IcebergSql.COMPACTED, day)).isEqualTo(before + 1);
            assertThat(rows("SELECT wiki FROM " + sql.table(IcebergSql.DAILY_WIKI) + " WHERE wiki = 'a wiki without events'"))
                    .as("the aggregate row whose group is gone").isEmpty();
            batchDelivered.add(late);
        }

        private void runAll(List<String> statements) throws Exception {
            for (String statement : statements) {
                trino.query(SCHEMA, statement);
            }
        }

        private long count(String table, LocalDate day) throws Exception {
            return ((Number) trino.query(SCHEMA, "SELECT count(*) FROM " + sql.table(table) + " WHERE dt = DATE "
                    + LakeSql.literal(day.toString())).rows().get(0).get(0)).longValue();
        }

        private static List<List<Object>> normalisedRows(List<List<Object>> rows) {
            return rows.stream().map(row -> row.stream().map(v -> normalised(v)).toList()).toList();
        }

        private List<List<Object>> rows(String query) throws Exception {
            return normalised(trino.query(SCHEMA, query));
        }

        private Map<String, List<List<Object>>> everyTable() throws Exception {
            Map<String, List<List<Object>>> tables = new HashMap<>();
            for (String table : List.of(IcebergSql.COMPACTED, IcebergSql.DAILY_WIKI, IcebergSql.HOURLY_TYPE, IcebergSql.TOP_PAGES)) {
                List<List<Object>> rows = new ArrayList<>(rows("SELECT * FROM " + sql.table(table)));
                rows.sort((a, b) -> shown(a).compareTo(shown(b)));
                tables.put(table, rows);
            }
            return tables;
        }
    }

    // ---------------------------------------------------------------- the table, as the Glue table is declared

    /** {@code CREATE TABLE} with the Glue table's columns, partition keys and OpenCSVSerde parameters, in Trino's words. */
    static String createGlueLikeTable(String location) {
        StringJoiner columns = new StringJoiner(", ");
        Stream.concat(LakeSql.glueColumns().stream(), LakeSql.gluePartitionKeys().stream())
                .forEach(c -> columns.add(LakeSql.quote(c.name()) + " " + trinoType(c.type())));
        StringJoiner partitions = new StringJoiner(", ", "ARRAY[", "]");
        LakeSql.gluePartitionKeys().forEach(p -> partitions.add(LakeSql.literal(p.name())));
        Map<String, String> serde = LakeSql.glueSerdeParameters();
        return "CREATE TABLE " + LakeSql.quote(LakeSql.TABLE) + " (" + columns + ") WITH (format = 'CSV'"
                + ", external_location = " + LakeSql.literal(location)
                + ", partitioned_by = " + partitions
                + ", csv_separator = " + unicodeLiteral(serde.get("separatorChar"))
                + ", csv_quote = " + unicodeLiteral(serde.get("quoteChar"))
                + ", csv_escape = " + unicodeLiteral(serde.get("escapeChar")) + ")";
    }

    private static String trinoType(String glueType) {
        if (!glueType.equals("string")) {
            throw new AssertionError("no Trino type known for the Glue type " + glueType);
        }
        return "varchar";
    }

    /** A Unicode string literal ({@code U&'\0000'}), so control characters such as the U+0000 escape travel as text. */
    private static String unicodeLiteral(String text) {
        StringBuilder literal = new StringBuilder("U&'");
        text.chars().forEach(c -> {
            if (c < 0x20 || c == '\\' || c > 0x7e) {
                literal.append(String.format("\\%04X", c));
            } else {
                literal.append(c == '\'' ? "''" : String.valueOf((char) c));
            }
        });
        return literal.append("'").toString();
    }

    // ---------------------------------------------------------------- comparing results

    /** A number, as its plain BigDecimal text: 3, 3.0 and 3L compare equal, a string "3" does not. */
    record Num(String plain) {
        @Override
        public String toString() {
            return plain;
        }
    }

    private static Object normalised(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return new Num(new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
        }
        throw new AssertionError("unexpected value " + value + " of " + value.getClass());
    }

    private static Num epochMillis(LocalDateTime utc) {
        return utc == null ? null : (Num) normalised(utc.toInstant(ZoneOffset.UTC).toEpochMilli());
    }

    /** Trino's rows normalised; its timestamps arrive as text, {@code 2026-08-04 15:24:29.724} (session zone UTC). */
    private static List<List<Object>> normalised(TrinoServer.Result result) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                Object value = row.get(c);
                values.add(result.types().get(c).startsWith("timestamp") && value != null
                        ? epochMillis(LocalDateTime.parse(((String) value).replace(' ', 'T')))
                        : normalised(value));
            }
            rows.add(values);
        }
        return rows;
    }

    /** Fails with the rows that only one engine returned (or the first position where the order differs). */
    private static void assertSameRows(String what, List<String> columns, List<List<Object>> trinoRows,
            List<List<Object>> duckDbRows, boolean ordered) {
        Map<List<Object>, Integer> balance = new HashMap<>();
        trinoRows.forEach(row -> balance.merge(row, 1, Integer::sum));
        duckDbRows.forEach(row -> balance.merge(row, -1, Integer::sum));
        List<String> onlyTrino = new ArrayList<>();
        List<String> onlyDuckDb = new ArrayList<>();
        balance.forEach((row, n) -> {
            for (int i = 0; i < Math.abs(n); i++) {
                (n > 0 ? onlyTrino : onlyDuckDb).add(shown(row));
            }
        });
        onlyTrino.sort(null); // rows of the same event_id line up
        onlyDuckDb.sort(null);
        StringBuilder message = new StringBuilder();
        if (!onlyTrino.isEmpty() || !onlyDuckDb.isEmpty()) {
            message.append(what).append(": Trino and DuckDB differ; columns ").append(columns)
                    .append("\n").append(onlyTrino.size()).append(" rows only on Trino:\n  ")
                    .append(String.join("\n  ", onlyTrino.subList(0, Math.min(20, onlyTrino.size()))))
                    .append("\n").append(onlyDuckDb.size()).append(" rows only on DuckDB:\n  ")
                    .append(String.join("\n  ", onlyDuckDb.subList(0, Math.min(20, onlyDuckDb.size()))));
        } else if (ordered) {
            for (int i = 0; i < trinoRows.size(); i++) {
                if (!trinoRows.get(i).equals(duckDbRows.get(i))) {
                    message.append(what).append(": the same rows in another order; columns ").append(columns)
                            .append("\nfirst difference at row ").append(i).append(":\n  Trino:  ").append(shown(trinoRows.get(i)))
                            .append("\n  DuckDB: ").append(shown(duckDbRows.get(i)));
                    break;
                }
            }
        }
        if (!message.isEmpty()) {
            throw new AssertionError(message.toString());
        }
    }

    /** A row as text: strings in double quotes (so the string "null" is not NULL), numbers and booleans bare. */
    private static String shown(List<Object> row) {
        StringJoiner text = new StringJoiner(", ", "[", "]");
        row.forEach(v -> text.add(v == null ? "NULL" : v instanceof String s ? "\"" + s + "\"" : v.toString()));
        return text.toString();
    }
}
