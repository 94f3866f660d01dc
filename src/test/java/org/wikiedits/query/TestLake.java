package org.wikiedits.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChange;

/** Writes small lakes in the contract's layout, {@code <lake>/wikiedits/dt=YYYY-MM-DD/hour=HH/*.csv}. */
public final class TestLake {

    private TestLake() {
    }

    /** The partition folder of an event time, computed here independently of the lake writer. */
    public static Path partition(Path lake, Instant eventTime) {
        ZonedDateTime utc = eventTime.atZone(ZoneOffset.UTC);
        return lake.resolve("wikiedits")
                .resolve(String.format("dt=%04d-%02d-%02d", utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth()))
                .resolve(String.format("hour=%02d", utc.getHour()));
    }

    /** Writes the rows of {@code events}, spread round-robin over up to {@code filesPerPartition} files per partition. */
    public static void write(Path lake, List<RecentChange> events, int filesPerPartition) {
        Map<Path, List<StringBuilder>> files = new LinkedHashMap<>();
        Map<Path, Integer> counts = new LinkedHashMap<>();
        for (RecentChange rc : events) {
            Path dir = partition(lake, rc.eventTime());
            List<StringBuilder> parts = files.computeIfAbsent(dir, d -> new ArrayList<>());
            int n = counts.merge(dir, 1, Integer::sum) - 1;
            int index = n % filesPerPartition;
            while (parts.size() <= index) {
                parts.add(new StringBuilder());
            }
            parts.get(index).append(CsvRow.of(rc));
        }
        try {
            for (Map.Entry<Path, List<StringBuilder>> entry : files.entrySet()) {
                Files.createDirectories(entry.getKey());
                for (int i = 0; i < entry.getValue().size(); i++) {
                    Files.writeString(entry.getKey().resolve("part-" + i + ".csv"), entry.getValue().get(i),
                            StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strings that CSV writers and readers get wrong. */
    public static final List<String> TRICKY_STRINGS = List.of("plain", "with, comma", "with \"quotes\"", "\"", ",", "\"\"",
            "line1\nline2", "cr\rlf", "crlf\r\nend", "\r\n", " leading", "trailing ", "  ", "\t tab\t", "back\\slash\\",
            "\\\"", "😀 𝄞 astral", "עברית RTL", "中文", "NULL", "null", "\\N", "x\u0000y", "'single'", "a;b|c",
            "=1+2", "é\u0301 combining", "\u2028line separator\u2029", "#hash", "x".repeat(3000));

    /** {@code n} events with tricky strings, extreme numbers and absent values, reproducible from {@code seed}. */
    public static List<RecentChange> trickyEvents(long seed, int n) {
        Random random = new Random(seed);
        long from = Instant.parse("2018-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2030-12-31T23:59:59Z").getEpochSecond();
        long[] longs = {Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 9007199254740993L, 4_294_967_296L, 1_785_857_069L};
        int[] ints = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, -2, 14, 106};
        List<RecentChange> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant time = switch (i % 5) {
                case 0 -> Instant.parse("2026-08-04T00:00:00Z");
                case 1 -> Instant.parse("2026-08-04T23:59:59.999Z");
                case 2 -> Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), random.nextInt(1_000_000_000));
                default -> Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), random.nextInt(1000) * 1_000_000L);
            };
            events.add(new RecentChange(
                    new UUID(random.nextLong(), random.nextLong()).toString(), time, string(random),
                    pick(random, longs), pick(random, longs), string(random), string(random), string(random),
                    pick(random, ints), string(random), string(random), bool(random), bool(random), bool(random),
                    pick(random, ints), pick(random, ints), pick(random, longs), pick(random, longs),
                    string(random), string(random), string(random)));
        }
        return events;
    }

    private static String string(Random random) {
        int r = random.nextInt(TRICKY_STRINGS.size() + 2);
        return r == TRICKY_STRINGS.size() ? null : r == TRICKY_STRINGS.size() + 1 ? "" : TRICKY_STRINGS.get(r);
    }

    private static Long pick(Random random, long[] values) {
        int r = random.nextInt(values.length + 1);
        return r == values.length ? null : values[r];
    }

    private static Integer pick(Random random, int[] values) {
        int r = random.nextInt(values.length + 1);
        return r == values.length ? null : values[r];
    }

    private static Boolean bool(Random random) {
        int r = random.nextInt(3);
        return r == 0 ? null : r == 1;
    }
}
