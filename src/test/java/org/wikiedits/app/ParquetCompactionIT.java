package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wikiedits.config.Settings;
import org.wikiedits.query.BatchTables;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.TestLake;
import org.wikiedits.query.compaction.CompactionProcess;
import org.wikiedits.query.compaction.DaySwap;
import org.wikiedits.query.compaction.ParquetCompaction;
import org.wikiedits.testing.ForkedApp;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChange;

/**
 * {@code compact --parquet} on a multi-day local lake with repeated deliveries (and one id delivered as two
 * differing rows): rows per day, the kept row, sorting and types, the aggregates against values computed here
 * in Java, idempotence, incomplete days, a crash at each step of the swap, the view over compacted and raw days,
 * and a day larger than DuckDB's memory limit in the scheduled run's child process.
 */
class ParquetCompactionIT {

    private static final List<String> DAYS = List.of("2026-08-01", "2026-08-02", "2026-08-03");
    private static final List<String> WIKIS = List.of("enwiki", "dewiki", "wikidatawiki");
    private static final List<String> TYPES = List.of("edit", "edit", "edit", "new", "log", "categorize");

    @TempDir
    Path data;

    private Path lake;
    /** Every event once (the original of each id), by day. */
    private final Map<String, List<RecentChange>> events = new TreeMap<>();
    private String out = "";
    private String err = "";

    @BeforeEach
    void lakeWithRepeats() {
        lake = data.resolve("lake");
        Random random = new Random(21);
        List<RecentChange> delivered = new ArrayList<>();
        for (String day : DAYS) {
            List<RecentChange> ofDay = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                ofDay.add(event(random, Instant.parse(day + "T00:00:00Z").plusMillis(random.nextInt(86_400_000))));
            }
            events.put(day, ofDay);
            delivered.addAll(ofDay);
            for (int i = 0; i < ofDay.size(); i += 5) {
                delivered.add(ofDay.get(i)); // repeated deliveries, as Firehose makes them
            }
        }
        // one id as two differing rows in one hour: the earlier is the event, the later a different row of its id
        RecentChange first = events.get("2026-08-02").get(0);
        delivered.add(copy(first, first.eventTime().plusMillis(1), "a later, different row of the same id"));
        // today (UTC): not complete, so never compacted
        events.put("today", List.of(event(random, Instant.now())));
        delivered.addAll(events.get("today"));
        TestLake.write(lake, delivered, 3);
    }

    @Test
    void eachCompletedDayHoldsEachEventOnceTypedSortedAndTheEarliestRowOfAnId() throws Exception {
        assertThat(compact("--parquet", "--all")).as(err).isZero();

        assertThat(out).contains("3 compacted").contains("not complete yet");
        assertThat(BatchTables.days(lake, BatchTables.COMPACTED)).containsExactlyElementsOf(DAYS);
        for (String folder : List.of("agg_daily_wiki", "agg_hourly_type", "agg_top_pages")) { // the folders ARCHITECTURE.md names
            assertThat(lake.resolve(folder + "/dt=" + DAYS.get(0))).as(folder).isDirectoryContaining("glob:**.parquet");
        }
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            for (String day : DAYS) {
                List<List<Object>> rows = rows(duckDb, "SELECT event_id, wiki, event_time, filename FROM read_parquet("
                        + LakeSql.literal(lake.resolve("wikiedits_parquet/dt=" + day).toString() + "/*.parquet") + ", filename = true)");
                Set<String> distinctIds = events.get(day).stream().map(RecentChange::eventId).collect(Collectors.toSet());
                assertThat(rows).as(day).hasSize(distinctIds.size());
                assertThat(rows.stream().map(r -> (String) r.get(0))).as(day).containsExactlyInAnyOrderElementsOf(distinctIds);
                Map<Object, List<String>> order = rows.stream().collect(Collectors.groupingBy(r -> r.get(3), TreeMap::new,
                        Collectors.mapping(r -> r.get(1) + " " + r.get(2), Collectors.toList())));
                assertThat(order).as("one file per hour partition").hasSizeGreaterThan(20);
                order.forEach((file, keys) -> assertThat(keys).as("%s sorted by wiki, then event time", file).isSorted());
            }
            RecentChange first = events.get("2026-08-02").get(0);
            assertThat(rows(duckDb, "SELECT comment FROM wikiedits_compacted WHERE event_id = '" + first.eventId() + "'"))
                    .containsExactly(List.of(first.comment()));
            Map<String, String> types = new LinkedHashMap<>();
            for (List<Object> row : rows(duckDb, "DESCRIBE wikiedits_compacted")) {
                types.put((String) row.get(0), (String) row.get(1));
            }
            assertThat(types).containsEntry("event_time", "TIMESTAMP").containsEntry("timestamp", "BIGINT")
                    .containsEntry("namespace", "INTEGER").containsEntry("bot", "BOOLEAN").containsEntry("wiki", "VARCHAR")
                    .containsEntry("dt", "DATE").hasSize(21);
        }
    }

    @Test
    void theAggregatesEqualValuesComputedIndependently() throws Exception {
        assertThat(compact("--parquet", "--all")).as(err).isZero();

        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            for (String day : DAYS) {
                List<RecentChange> ofDay = events.get(day);
                List<List<Object>> expectedDaily = new ArrayList<>();
                for (String wiki : WIKIS.stream().sorted().toList()) {
                    List<RecentChange> w = ofDay.stream().filter(rc -> rc.wiki().equals(wiki)).toList();
                    long bots = w.stream().filter(rc -> Boolean.TRUE.equals(rc.bot())).count();
                    long added = 0;
                    long removed = 0;
                    for (RecentChange rc : w) {
                        if (rc.lengthNew() != null) {
                            long delta = rc.lengthNew() - (rc.lengthOld() == null ? 0 : rc.lengthOld());
                            added += Math.max(delta, 0);
                            removed += Math.max(-delta, 0);
                        }
                    }
                    expectedDaily.add(List.of(wiki, (long) w.size(), w.stream().filter(rc -> rc.type().equals("new")).count(),
                            (double) bots / w.size(), w.stream().map(RecentChange::user).distinct().count(), added, removed));
                }
                assertThat(rows(duckDb, "SELECT wiki, edits, new_pages, bot_share, distinct_users, bytes_added, bytes_removed"
                        + " FROM wikiedits_daily_wiki WHERE dt = DATE '" + day + "' ORDER BY wiki")).as(day)
                        .containsExactlyElementsOf(expectedDaily);

                Map<List<Object>, Long> hourly = new TreeMap<>(Comparator.comparing(Object::toString));
                ofDay.forEach(rc -> hourly.merge(List.of(rc.eventTime().atZone(ZoneOffset.UTC).getHour(), rc.type()), 1L, Long::sum));
                List<List<Object>> expectedHourly = hourly.entrySet().stream()
                        .map(e -> List.<Object>of(e.getKey().get(0), e.getKey().get(1), e.getValue())).toList();
                assertThat(rows(duckDb, "SELECT hour, type, events FROM wikiedits_hourly_type WHERE dt = DATE '" + day + "'"))
                        .as(day).containsExactlyInAnyOrderElementsOf(expectedHourly);

                Map<List<String>, Long> pages = new HashMap<>();
                ofDay.stream().filter(rc -> rc.type().equals("edit") || rc.type().equals("new"))
                        .forEach(rc -> pages.merge(List.of(rc.wiki(), rc.title()), 1L, Long::sum));
                List<Map.Entry<List<String>, Long>> ranked = pages.entrySet().stream()
                        .sorted(Comparator.<Map.Entry<List<String>, Long>>comparingLong(Map.Entry::getValue).reversed()
                                .thenComparing(e -> e.getKey().get(0)).thenComparing(e -> e.getKey().get(1)))
                        .limit(BatchTables.TOP_PAGES_PER_DAY).toList();
                List<List<Object>> expectedTop = new ArrayList<>();
                for (int i = 0; i < ranked.size(); i++) {
                    expectedTop.add(List.of(i + 1, ranked.get(i).getKey().get(0), ranked.get(i).getKey().get(1), ranked.get(i).getValue()));
                }
                assertThat(rows(duckDb, "SELECT rank, wiki, title, edits FROM wikiedits_top_pages WHERE dt = DATE '" + day
                        + "' ORDER BY rank")).as(day).containsExactlyElementsOf(expectedTop);
            }
        }
    }

    @Test
    void aRerunChangesNothingAndADayWhoseCsvChangedIsCompactedAgain() throws Exception {
        assertThat(compact("--parquet", "--all")).as(err).isZero();
        Map<Path, String> before = files(lake);

        assertThat(compact("--parquet", "--all")).as(err).isZero();
        assertThat(out).contains("0 compacted, 3 unchanged");
        assertThat(compact("--parquet", "--day", "2026-08-01")).as(err).isZero();
        assertThat(files(lake)).as("file contents and modification times").isEqualTo(before);

        RecentChange late = event(new Random(5), Instant.parse("2026-08-02T23:59:00Z"));
        TestLake.write(lake.resolve("late"), List.of(late), 1);
        Path partition = TestLake.partition(lake, late.eventTime());
        Files.move(TestLake.partition(lake.resolve("late"), late.eventTime()).resolve("part-0.csv"), partition.resolve("late.csv"));
        assertThat(compact("--parquet", "--all")).as(err).isZero();
        assertThat(out).contains("dt=2026-08-02: compacted, " + (events.get("2026-08-02").size() + 1) + " events")
                .contains("1 compacted, 2 unchanged");
    }

    @Test
    void anIncompleteDayIsSkippedByAllAndRefusedByDay() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        assertThat(compact("--parquet", "--day", today)).isEqualTo(1);
        assertThat(err).contains("dt=" + today + " is not complete yet");
        assertThat(compact("--parquet", "--all")).as(err).isZero();
        assertThat(out).contains("dt=" + today + ": not complete yet");
        assertThat(BatchTables.days(lake, BatchTables.COMPACTED)).doesNotContain(today);
        // the grace: a day ended minutes ago is not complete either
        ParquetCompaction justAfter = new ParquetCompaction(data, ParquetCompaction.Limits.of(key -> ""),
                Clock.fixed(Instant.parse("2026-08-04T01:59:00Z"), ZoneOffset.UTC));
        assertThat(justAfter.day(LocalDate.parse("2026-08-03"), true).outcome()).isEqualTo(ParquetCompaction.Outcome.INCOMPLETE);
        assertThat(compact("--parquet")).isEqualTo(2);
        assertThat(err).contains("--parquet needs either --day YYYY-MM-DD or --all");
    }

    @Test
    void aQueryOverCompactedAndRawDaysCountsEachEventOnceAndNamedQueriesAnswerAsBefore() throws Exception {
        Map<String, List<List<Object>>> before = namedQueryAnswers();

        assertThat(compact("--parquet", "--day", "2026-08-02")).as(err).isZero();

        long everyEvent = events.values().stream().mapToLong(List::size).sum();
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            assertThat(rows(duckDb, "SELECT count(*), count(DISTINCT event_id) FROM " + BatchTables.ALL))
                    .containsExactly(List.of(everyEvent, everyEvent));
        }
        assertThat(namedQueryAnswers()).isEqualTo(before);
    }

    static List<String> crashPoints() {
        return DaySwap.CRASH_POINTS;
    }

    @ParameterizedTest
    @MethodSource("crashPoints")
    void aCrashAtEachStepLeavesTheOldDayOrTheNew(String crashPoint) throws Exception {
        String day = "2026-08-03";
        assertThat(compact("--parquet", "--day", day)).as(err).isZero();
        long old = events.get(day).size();
        RecentChange late = event(new Random(9), Instant.parse(day + "T12:00:00Z"));
        Files.createDirectories(TestLake.partition(lake, late.eventTime()));
        Files.writeString(TestLake.partition(lake, late.eventTime()).resolve("late.csv"), CsvRow.of(late), StandardCharsets.UTF_8);

        try (ForkedApp app = ForkedApp.start(data, Map.of("wikiedits.data.dir", data.toString(), "wikiedits.test.crash-at",
                crashPoint), List.of("-Xmx256m"), "compact", "--parquet", "--day", day)) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.log()).isEqualTo(137);
            assertThat(app.log()).contains("crash point '" + crashPoint + "' reached");
        }
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            // readers before the recovery: the old compacted day, the new one, or the raw CSV (never two of them)
            assertThat(rows(duckDb, "SELECT count(*) FROM " + BatchTables.ALL + " WHERE dt = '" + day + "'").get(0).get(0))
                    .isIn(old, old + 1);
        }

        new ParquetCompaction(data, ParquetCompaction.Limits.of(key -> ""), Clock.systemUTC()).recover();

        long expected = crashPoint.equals(DaySwap.STAGED) ? old : old + 1;
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            assertThat(rows(duckDb, "SELECT count(*) FROM wikiedits_compacted WHERE dt = DATE '" + day + "'"))
                    .as("the " + (expected == old ? "old" : "new") + " day").containsExactly(List.of(expected));
            for (String table : List.of("wikiedits_daily_wiki", "wikiedits_hourly_type")) {
                String sum = table.equals("wikiedits_daily_wiki") ? "sum(edits)" : "sum(events)";
                assertThat(rows(duckDb, "SELECT CAST(" + sum + " AS BIGINT) FROM " + table + " WHERE dt = DATE '" + day + "'"))
                        .as(table + " of the same version").containsExactly(List.of(expected));
            }
        }
        for (String table : BatchTables.TABLES) {
            assertThat(BatchTables.days(lake, table)).as(table).contains(day);
        }
        assertThat(lake.resolve(".batch-staging/dt=" + day)).doesNotExist();
        assertThat(lake.resolve(".batch-old")).doesNotExist();
    }

    @Test
    void theScheduledRunsChildProcessCompactsADayFourTimesItsMemoryLimit() throws Exception {
        // DuckDB's limit is set low (32MB) and the day is more than four times that as CSV: a day four times
        // the default 256MB would be a 1 GB fixture. Each hour partition is about 6 MB (DuckDB sorts an hour at a time).
        Path big = data.resolve("big");
        Random random = new Random(4);
        String padding = "x".repeat(400);
        int events = 300_000;
        Map<Path, StringBuilder> repeats = new HashMap<>();
        Map<Path, java.io.Writer> files = new HashMap<>();
        try {
            for (int i = 0; i < events; i++) {
                RecentChange rc = event(random, Instant.parse("2026-07-01T00:00:00Z").plusMillis(random.nextInt(86_400_000)));
                String row = CsvRow.of(copy(rc, rc.eventTime(), padding + i));
                Path partition = TestLake.partition(big.resolve("lake"), rc.eventTime());
                java.io.Writer writer = files.get(partition);
                if (writer == null) {
                    Files.createDirectories(partition);
                    writer = Files.newBufferedWriter(partition.resolve("part-0.csv"), StandardCharsets.UTF_8);
                    files.put(partition, writer);
                }
                writer.write(row);
                if (i % 15 == 0) {
                    repeats.computeIfAbsent(partition, p -> new StringBuilder()).append(row); // repeated deliveries
                }
            }
        } finally {
            for (java.io.Writer writer : files.values()) {
                writer.close();
            }
        }
        for (Map.Entry<Path, StringBuilder> repeat : repeats.entrySet()) {
            Files.writeString(repeat.getKey().resolve("part-1.csv"), repeat.getValue(), StandardCharsets.UTF_8);
        }
        long csvBytes;
        try (Stream<Path> all = Files.walk(big.resolve("lake"))) {
            csvBytes = all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(csvBytes).isGreaterThan(4L * 32 * 1024 * 1024);

        String said = new CompactionProcess(big, new ParquetCompaction.Limits(Duration.ofHours(2), "32MB", 1)).run();

        assertThat(said).contains("dt=2026-07-01: compacted, " + events + " events");
        assertThat(big.resolve("tmp/compaction")).isDirectory();
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, List<List<Object>>> namedQueryAnswers() throws SQLException {
        Map<String, List<List<Object>>> answers = new TreeMap<>();
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            for (NamedQueries.NamedQuery query : NamedQueries.all()) {
                answers.put(query.name(), query.bind(Optional.empty(), 1000).run(duckDb).rows());
            }
        }
        return answers;
    }

    private static RecentChange event(Random random, Instant time) {
        String wiki = WIKIS.get(random.nextInt(WIKIS.size()));
        String type = TYPES.get(random.nextInt(TYPES.size()));
        Integer lengthOld = random.nextInt(4) == 0 ? null : random.nextInt(5000);
        Integer lengthNew = random.nextInt(8) == 0 ? null : random.nextInt(5000);
        return new RecentChange(new UUID(random.nextLong(), random.nextLong()).toString(), time, wiki + ".example", time.getEpochSecond(),
                random.nextLong(1_000_000), type, wiki, wiki + ".example", 0, "Page " + random.nextInt(40),
                "user" + random.nextInt(12), random.nextInt(3) == 0, random.nextBoolean(), random.nextBoolean(), lengthOld,
                lengthNew, 1L, 2L, null, null, "comment " + random.nextInt(1000));
    }

    private static RecentChange copy(RecentChange rc, Instant time, String comment) {
        return new RecentChange(rc.eventId(), time, rc.domain(), rc.timestamp(), rc.rcId(), rc.type(), rc.wiki(), rc.serverName(),
                rc.namespace(), rc.title(), rc.user(), rc.bot(), rc.minor(), rc.patrolled(), rc.lengthOld(), rc.lengthNew(),
                rc.revisionOld(), rc.revisionNew(), rc.logType(), rc.logAction(), comment);
    }

    private static List<List<Object>> rows(Connection duckDb, String sql) throws SQLException {
        try (Statement statement = duckDb.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return NamedQueries.Result.read(rs, Integer.MAX_VALUE).rows();
        }
    }

    /** Every file under {@code dir} with its size and modification time, and its bytes' hash. */
    private static Map<Path, String> files(Path dir) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file), Files.getLastModifiedTime(file) + " " + java.util.Arrays.hashCode(Files.readAllBytes(file)));
            }
        }
        return files;
    }

    private int compact(String... args) {
        Settings settings = Settings.load().with(Map.of("wikiedits.mode", "local", "wikiedits.data.dir", data.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = CompactCommand.run(settings, args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        out = stdout.toString(StandardCharsets.UTF_8);
        err = stderr.toString(StandardCharsets.UTF_8);
        return status;
    }
}
