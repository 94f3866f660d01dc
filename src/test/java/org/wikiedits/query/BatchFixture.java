package org.wikiedits.query;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.wikiedits.transform.RecentChange;

/**
 * A small lake for the batch layer's tests: events over a few days with wikis, types, pages and users
 * from small sets (so that groups hold several events) and the tricky values of {@link TestLake} in the
 * other columns; and the aggregate tables computed here, in Java, from the rows DuckDB's typed view
 * reads, independently of the SQL that builds them.
 */
final class BatchFixture {

    private static final String[] WIKIS = {"enwiki", "dewiki", "wikidatawiki", null, "with, comma"};
    private static final String[] TYPES = {"edit", "edit", "edit", "new", "log", null};

    private BatchFixture() {
    }

    /** {@code n} events spread over {@code days} (round-robin) at random times of the day. */
    static List<RecentChange> events(long seed, int n, LocalDate... days) {
        Random random = new Random(seed);
        List<RecentChange> tricky = TestLake.trickyEvents(seed, n);
        List<RecentChange> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecentChange rc = tricky.get(i);
            Instant time = days[i % days.length].atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plusMillis(random.nextInt(24 * 3600 * 1000));
            int page = random.nextInt(70);
            String wiki = WIKIS[random.nextInt(WIKIS.length)];
            // one server per wiki, as in the stream (most_edited groups by both and orders by wiki)
            events.add(new RecentChange(rc.eventId(), time, rc.domain(), rc.timestamp(), rc.rcId(),
                    TYPES[random.nextInt(TYPES.length)], wiki, wiki == null ? null : wiki + ".example.org",
                    rc.namespace(), page == 0 ? null : "Page " + page, random.nextInt(12) == 0 ? null : "User " + random.nextInt(30),
                    rc.bot(), rc.minor(), rc.patrolled(), rc.lengthOld(), rc.lengthNew(), rc.revisionOld(), rc.revisionNew(),
                    rc.logType(), rc.logAction(), rc.comment()));
        }
        return events;
    }

    static RecentChange withComment(RecentChange rc, String comment) {
        return new RecentChange(rc.eventId(), rc.eventTime(), rc.domain(), rc.timestamp(), rc.rcId(), rc.type(), rc.wiki(),
                rc.serverName(), rc.namespace(), rc.title(), rc.user(), rc.bot(), rc.minor(), rc.patrolled(), rc.lengthOld(),
                rc.lengthNew(), rc.revisionOld(), rc.revisionNew(), rc.logType(), rc.logAction(), comment);
    }

    /** The event's UTC day (its partition). */
    static LocalDate day(RecentChange rc) {
        return LocalDate.ofInstant(rc.eventTime(), ZoneOffset.UTC);
    }

    /** The aggregate tables' rows, as plain Java values in the tables' column order. */
    record Expected(List<List<Object>> dailyWiki, List<List<Object>> hourlyType, List<List<Object>> topPages) {
    }

    private record Row(String dt, String eventId, LocalDateTime eventTime, String type, String wiki, String title,
                       String user, Boolean bot, Integer lengthOld, Integer lengthNew) {
    }

    /** The aggregates of {@code days}, from DuckDB's {@value LakeSql#VIEW} (one row per event_id and day). */
    static Expected expected(Connection duckDb, List<LocalDate> days) throws SQLException {
        Set<String> wanted = days.stream().map(LocalDate::toString).collect(Collectors.toSet());
        Map<List<String>, Row> once = new LinkedHashMap<>();
        try (Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT dt, event_id, event_time, type, wiki, title, \"user\", bot,"
                        + " length_old, length_new FROM " + LakeSql.VIEW)) {
            while (rs.next()) {
                Row row = new Row(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDateTime.class), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), (Boolean) rs.getObject(8),
                        (Integer) rs.getObject(9), (Integer) rs.getObject(10));
                if (wanted.contains(row.dt())) {
                    once.putIfAbsent(List.of(row.dt(), row.eventId()), row);
                }
            }
        }
        return new Expected(dailyWiki(once.values()), hourlyType(once.values()), topPages(once.values()));
    }

    private static List<List<Object>> dailyWiki(Iterable<Row> rows) {
        Map<List<String>, List<Row>> groups = new HashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(Arrays.asList(r.dt(), r.wiki()), k -> new ArrayList<>()).add(r));
        List<List<Object>> result = new ArrayList<>();
        groups.forEach((key, group) -> {
            long edits = group.size();
            long newPages = group.stream().filter(r -> "new".equals(r.type())).count();
            long bots = group.stream().filter(r -> Boolean.TRUE.equals(r.bot())).count();
            long users = group.stream().map(Row::user).filter(Objects::nonNull).distinct().count();
            long added = 0;
            long removed = 0;
            for (Row r : group) {
                if (r.lengthNew() != null) {
                    long delta = (long) r.lengthNew() - (r.lengthOld() == null ? 0 : r.lengthOld());
                    added += Math.max(delta, 0);
                    removed += Math.max(-delta, 0);
                }
            }
            result.add(Arrays.asList(key.get(0), key.get(1), edits, newPages, (double) bots / edits, users, added, removed));
        });
        return result;
    }

    private static List<List<Object>> hourlyType(Iterable<Row> rows) {
        Map<List<Object>, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.merge(Arrays.asList(r.dt(), r.eventTime().getHour(), r.type()), 1L, Long::sum));
        List<List<Object>> result = new ArrayList<>();
        counts.forEach((key, n) -> result.add(Arrays.asList(key.get(0), key.get(1), key.get(2), n)));
        return result;
    }

    private static List<List<Object>> topPages(Iterable<Row> rows) {
        Map<String, Map<List<String>, Long>> perDay = new TreeMap<>();
        for (Row r : rows) {
            if (("edit".equals(r.type()) || "new".equals(r.type())) && r.title() != null) {
                perDay.computeIfAbsent(r.dt(), d -> new HashMap<>()).merge(Arrays.asList(r.wiki(), r.title()), 1L, Long::sum);
            }
        }
        // edits descending, then wiki (NULL last) and title, both in UTF-8 byte order as Trino compares them
        Comparator<String> utf8 = Comparator.nullsLast((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        Comparator<Map.Entry<List<String>, Long>> order = Comparator.<Map.Entry<List<String>, Long>, Long>comparing(
                Map.Entry::getValue).reversed()
                .thenComparing(e -> e.getKey().get(0), utf8)
                .thenComparing(e -> e.getKey().get(1), utf8);
        List<List<Object>> result = new ArrayList<>();
        perDay.forEach((dt, pages) -> {
            List<Map.Entry<List<String>, Long>> sorted = pages.entrySet().stream().sorted(order).toList();
            for (int i = 0; i < Math.min(IcebergSql.TOP_PAGES_PER_DAY, sorted.size()); i++) {
                Map.Entry<List<String>, Long> page = sorted.get(i);
                result.add(Arrays.asList(dt, i + 1, page.getKey().get(0), page.getKey().get(1), page.getValue()));
            }
        });
        return result;
    }
}
