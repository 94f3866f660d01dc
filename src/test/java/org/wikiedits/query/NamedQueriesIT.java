package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.transform.RecentChange;

/**
 * Every named query on a lake built here, against results computed in Java from the same events
 * (not copied from query output). The lake holds repeated deliveries, so counts must be distinct.
 */
class NamedQueriesIT {

    private static final LocalDate DAY1 = LocalDate.parse("2026-08-04");
    private static final LocalDate DAY2 = LocalDate.parse("2026-08-05");

    @TempDir
    static Path lake;

    private static final List<RecentChange> delivered = new ArrayList<>();
    private static List<RecentChange> distinct;
    private static Connection duckDb;

    @BeforeAll
    static void buildLake() throws Exception {
        int n = 0;
        String[] wikis = {"enwiki", "dewiki", "frwiki"};
        String[] types = {"edit", "edit", "edit", "new", "log", "categorize", "external"};
        String[] titles = {"Alpha", "alpha", "Beta", "Ω mega", "𝄞 Clef", "Beta"};
        Boolean[] bots = {true, false, null, false};
        for (LocalDate day : List.of(DAY1, DAY2)) {
            for (int i = 0; i < (day.equals(DAY1) ? 120 : 77); i++, n++) {
                Instant time = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds((i * 1237L) % 86_400).plusMillis(i);
                String title = i % 29 == 0 ? null : titles[(i * 7 + (day.equals(DAY2) ? 1 : 0)) % titles.length];
                delivered.add(event("id-" + n, time, wikis[i % 3 == 2 && i % 2 == 0 ? 2 : i % 2], types[i % types.length],
                        title, bots[(i / 3) % bots.length]));
            }
        }
        delivered.add(event("id-no-wiki", DAY1.atTime(10, 0).toInstant(ZoneOffset.UTC), null, "edit", "Alpha", true));
        // Firehose repeats some records: same rows again, in other files of the same partitions
        List<RecentChange> repeats = new ArrayList<>();
        for (int i = 0; i < delivered.size(); i += 9) {
            repeats.add(delivered.get(i));
        }
        repeats.add(delivered.get(0));
        delivered.addAll(repeats);
        TestLake.write(lake, delivered, 4);

        Map<String, RecentChange> byId = new LinkedHashMap<>();
        delivered.forEach(rc -> byId.putIfAbsent(rc.eventId(), rc));
        distinct = List.copyOf(byId.values());
        duckDb = LakeSql.openDuckDb(lake);
    }

    @AfterAll
    static void close() throws Exception {
        if (duckDb != null) {
            duckDb.close();
        }
    }

    @Test
    void totalCountsRecordsDistinctEventsAndDuplicates() throws Exception {
        NamedQueries.Result result = NamedQueries.TOTAL.bind(Optional.empty(), 10).run(duckDb);

        assertThat(result.columns()).containsExactly("records", "events", "duplicates");
        long records = delivered.size();
        long events = delivered.stream().map(RecentChange::eventId).distinct().count();
        assertThat(events).isLessThan(records);
        assertThat(result.rows()).containsExactly(List.of(records, events, records - events));
    }

    @Test
    void totalForOneDayCountsOnlyThatDay() throws Exception {
        NamedQueries.Result result = NamedQueries.TOTAL.bind(Optional.of(DAY2), 10).run(duckDb);

        List<RecentChange> day2 = delivered.stream().filter(onDay(DAY2)).toList();
        long events = day2.stream().map(RecentChange::eventId).distinct().count();
        assertThat(result.rows()).containsExactly(List.of((long) day2.size(), events, day2.size() - events));
    }

    @Test
    void dailyCountsGroupDistinctEventsByDayWikiAndType() throws Exception {
        NamedQueries.Result result = NamedQueries.DAILY_COUNTS.bind(Optional.empty(), 1000).run(duckDb);

        assertThat(result.columns()).containsExactly("dt", "wiki", "type", "events");
        assertThat(result.rows()).containsExactlyElementsOf(expectedDailyCounts(distinct));
    }

    @Test
    void dailyCountsForADayWithALimitAreTheFirstRowsOfThatDay() throws Exception {
        NamedQueries.Result result = NamedQueries.DAILY_COUNTS.bind(Optional.of(DAY1), 3).run(duckDb);

        List<List<Object>> expected = expectedDailyCounts(distinct.stream().filter(onDay(DAY1)).toList());
        assertThat(expected.size()).isGreaterThan(3);
        assertThat(result.rows()).containsExactlyElementsOf(expected.subList(0, 3));
    }

    @Test
    void botShareIsTheShareOfDistinctEventsByBotsPerDay() throws Exception {
        NamedQueries.Result result = NamedQueries.BOT_SHARE.bind(Optional.empty(), 100).run(duckDb);

        assertThat(result.columns()).containsExactly("dt", "events", "bot_events", "bot_share");
        Map<String, List<RecentChange>> byDay = distinct.stream()
                .collect(Collectors.groupingBy(NamedQueriesIT::day, TreeMap::new, Collectors.toList()));
        assertThat(result.rows()).hasSize(byDay.size());
        int i = 0;
        for (Map.Entry<String, List<RecentChange>> day : byDay.entrySet()) {
            long events = day.getValue().size();
            long bots = day.getValue().stream().filter(rc -> Boolean.TRUE.equals(rc.bot())).count();
            List<Object> row = result.rows().get(i++);
            assertThat(row.subList(0, 3)).containsExactly(day.getKey(), events, bots);
            assertThat((Double) row.get(3)).isCloseTo(Math.round(10_000.0 * bots / events) / 10_000.0, within(1e-9));
        }
    }

    @Test
    void topPagesRanksPagesPerDayAndWikiByDistinctEditsWithTiesByTitle() throws Exception {
        NamedQueries.Result result = NamedQueries.TOP_PAGES.bind(Optional.empty(), 3).run(duckDb);

        assertThat(result.columns()).containsExactly("dt", "wiki", "title", "edits", "page_rank");
        assertThat(result.rows()).containsExactlyElementsOf(expectedTopPages(distinct, 3));
    }

    @Test
    void topPagesForOneDay() throws Exception {
        NamedQueries.Result result = NamedQueries.TOP_PAGES.bind(Optional.of(DAY2), 2).run(duckDb);

        assertThat(result.rows()).isNotEmpty()
                .containsExactlyElementsOf(expectedTopPages(distinct.stream().filter(onDay(DAY2)).toList(), 2));
    }

    @Test
    void aDayWithoutPartitionsGivesNoRowsAndZeroTotals() throws Exception {
        Optional<LocalDate> empty = Optional.of(LocalDate.parse("2001-01-01"));

        assertThat(NamedQueries.DAILY_COUNTS.bind(empty, 10).run(duckDb).rows()).isEmpty();
        assertThat(NamedQueries.TOTAL.bind(empty, 10).run(duckDb).rows()).containsExactly(List.of(0L, 0L, 0L));
    }

    // ------------------------------------------------------------ expectations, computed in Java

    private static List<List<Object>> expectedDailyCounts(List<RecentChange> events) {
        Map<List<String>, Long> counts = events.stream().collect(Collectors.groupingBy(
                rc -> Arrays.asList(day(rc), rc.wiki(), rc.type()), Collectors.counting()));
        Comparator<Map.Entry<List<String>, Long>> order = Comparator
                .<Map.Entry<List<String>, Long>, String>comparing(e -> e.getKey().get(0))
                .thenComparing(Map.Entry::getValue, Comparator.reverseOrder())
                .thenComparing(e -> e.getKey().get(1), Comparator.nullsLast(NamedQueriesIT::byCodePoints))
                .thenComparing(e -> e.getKey().get(2), Comparator.nullsLast(NamedQueriesIT::byCodePoints));
        return counts.entrySet().stream().sorted(order)
                .map(e -> Arrays.<Object>asList(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue()))
                .toList();
    }

    private static List<List<Object>> expectedTopPages(List<RecentChange> events, int perGroup) {
        Map<List<String>, Map<String, Long>> groups = events.stream()
                .filter(rc -> ("edit".equals(rc.type()) || "new".equals(rc.type())) && rc.title() != null)
                .collect(Collectors.groupingBy(rc -> Arrays.asList(day(rc), rc.wiki()),
                        Collectors.groupingBy(RecentChange::title, Collectors.counting())));
        Comparator<List<String>> groupOrder = Comparator.<List<String>, String>comparing(g -> g.get(0))
                .thenComparing(g -> g.get(1), Comparator.nullsLast(NamedQueriesIT::byCodePoints));
        List<List<Object>> rows = new ArrayList<>();
        groups.keySet().stream().sorted(groupOrder).forEach(group -> {
            List<Map.Entry<String, Long>> ranked = groups.get(group).entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Long>, Long>comparing(Map.Entry::getValue).reversed()
                            .thenComparing(Map.Entry::getKey, NamedQueriesIT::byCodePoints))
                    .limit(perGroup).toList();
            for (int rank = 0; rank < ranked.size(); rank++) {
                rows.add(Arrays.asList(group.get(0), group.get(1), ranked.get(rank).getKey(), ranked.get(rank).getValue(),
                        (long) rank + 1));
            }
        });
        return rows;
    }

    /** SQL engines order strings by UTF-8 bytes, which is code point order (not Java's UTF-16 order). */
    private static int byCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static String day(RecentChange rc) {
        return rc.eventTime().atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static Predicate<RecentChange> onDay(LocalDate day) {
        return rc -> Objects.equals(day(rc), day.toString());
    }

    private static RecentChange event(String id, Instant time, String wiki, String type, String title, Boolean bot) {
        return new RecentChange(id, time, "example.org", time.getEpochSecond(), null, type, wiki, "example.org", 0, title,
                "User", bot, false, null, 10, 20, 1L, 2L, null, null, "comment, with \"quotes\"");
    }
}
