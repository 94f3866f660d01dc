package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.TestLake;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;

/** The compact subcommand on a local lake with repeated deliveries, checked by files and by DuckDB. */
class CompactCommandIT {

    @TempDir
    Path data;

    private String out = "";
    private String err = "";

    @Test
    void eachPartitionBecomesOneFileWithEveryEventOnceAndRowsUnchanged() throws Exception {
        Path lake = data.resolve("lake");
        List<RecentChange> delivered = new ArrayList<>();
        Fixtures.eventNames().forEach(name -> delivered.add(Fixtures.recentChange(name)));
        delivered.addAll(TestLake.trickyEvents(7L, 60));
        List<RecentChange> repeats = new ArrayList<>();
        for (int i = 0; i < delivered.size(); i += 4) {
            repeats.add(delivered.get(i));
        }
        delivered.addAll(repeats);
        TestLake.write(lake, delivered, 3);
        Set<String> expectedRows = new LinkedHashSet<>();
        delivered.forEach(rc -> expectedRows.add(CsvRow.of(rc)));

        assertThat(compact()).isZero();

        List<String> rows = new ArrayList<>();
        for (Path partition : partitions(lake)) {
            List<Path> files = csvFiles(partition);
            assertThat(files).as(partition.toString()).hasSize(1);
            // a partition that was one file without repeats is left as it was
            assertThat(files.get(0).getFileName().toString()).matches("compacted-.*|part-0\\.csv");
            Files.readAllLines(files.get(0), StandardCharsets.UTF_8).forEach(line -> rows.add(line + "\n"));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expectedRows);
        assertThat(out).contains(repeats.size() + " duplicate rows removed (" + expectedRows.size() + " rows kept)");
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            List<Object> total = NamedQueries.TOTAL.bind(Optional.empty(), 1).run(duckDb).rows().get(0);
            assertThat(total).containsExactly((long) expectedRows.size(), (long) expectedRows.size(), 0L);
        }
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        Path lake = data.resolve("lake");
        TestLake.write(lake, List.of(Fixtures.recentChange("edit-basic"), Fixtures.recentChange("edit-basic")), 2);
        assertThat(compact()).isZero();
        List<Path> before = allFiles(lake);

        assertThat(compact()).isZero();

        assertThat(allFiles(lake)).isEqualTo(before);
        assertThat(out).contains("1 partitions, 0 rewritten, 0 duplicate rows removed");
    }

    @Test
    void aDryRunReportsAndChangesNothing() throws Exception {
        Path lake = data.resolve("lake");
        TestLake.write(lake, List.of(Fixtures.recentChange("edit-basic"), Fixtures.recentChange("edit-basic")), 2);
        List<Path> before = allFiles(lake);

        assertThat(compact("--dry-run")).isZero();

        assertThat(allFiles(lake)).isEqualTo(before);
        assertThat(out).contains("dry run: 1 partitions, 1 rewritten, 1 duplicate rows removed (1 rows kept)");
    }

    @Test
    void staleTempFilesOfAnInterruptedCompactionAreRemoved() throws Exception {
        Path lake = data.resolve("lake");
        RecentChange rc = Fixtures.recentChange("edit-basic");
        TestLake.write(lake, List.of(rc, rc), 2);
        Path partition = TestLake.partition(lake, rc.eventTime());
        Path stale = Files.writeString(partition.resolve(".compact-dead.csv.tmp"), "left by a crash");

        assertThat(compact()).isZero();

        assertThat(stale).doesNotExist();
        assertThat(csvFiles(partition)).hasSize(1);
    }

    /**
     * Compaction beside the running app: a partition with a pending file ({@code .<name>.csv.inprogress})
     * is one the app is writing and will rename a file into; compaction leaves it as it is, byte for byte.
     */
    @Test
    void aPartitionTheRunningAppIsWritingIsLeftAlone() throws Exception {
        Path lake = data.resolve("lake");
        RecentChange rc = Fixtures.recentChange("edit-basic");
        TestLake.write(lake, List.of(rc, rc), 2);
        Path partition = TestLake.partition(lake, rc.eventTime());
        Files.writeString(partition.resolve(".part-20260804T160000-abcd1234-1.csv.inprogress"), "half a row");
        Map<Path, String> before = contents(partition);

        assertThat(compact()).isZero();

        assertThat(contents(partition)).isEqualTo(before);
        assertThat(out).contains("being written by the app").contains("0 rewritten");
    }

    @Test
    void aSecondCompactionOfTheSameDataFolderIsRefusedWhileTheFirstRuns() throws Exception {
        Path lake = data.resolve("lake");
        RecentChange rc = Fixtures.recentChange("edit-basic");
        TestLake.write(lake, List.of(rc, rc), 2);
        Map<Path, String> before = contents(TestLake.partition(lake, rc.eventTime()));

        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(data.resolve(".compact.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = held.lock()) {
            assertThat(compact()).isEqualTo(1);
        }

        assertThat(err).contains("another compaction is running on");
        assertThat(contents(TestLake.partition(lake, rc.eventTime()))).isEqualTo(before);
        assertThat(compact()).as("once the first has finished").isZero();
    }

    private static Map<Path, String> contents(Path dir) throws IOException {
        Map<Path, String> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    @Test
    void awsModeAndUnknownArgumentsExitWith2() {
        assertThat(compact("--force")).isEqualTo(2);
        assertThat(err).contains("unknown argument '--force'");

        Settings aws = Settings.load().with(Map.of("wikiedits.mode", "aws", "wikiedits.data.dir", data.toString()));
        assertThat(CompactCommand.run(aws, new String[0], new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
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

    private static List<Path> partitions(Path lake) throws IOException {
        try (Stream<Path> walk = Files.walk(lake.resolve("wikiedits"), 2)) {
            return walk.filter(p -> p.getFileName().toString().startsWith("hour=")).sorted().toList();
        }
    }

    private static List<Path> csvFiles(Path partition) throws IOException {
        try (Stream<Path> list = Files.list(partition)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    private static List<Path> allFiles(Path lake) throws IOException {
        try (Stream<Path> walk = Files.walk(lake)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
