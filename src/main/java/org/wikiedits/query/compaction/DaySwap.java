package org.wikiedits.query.compaction;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.wikiedits.commit.CrashPoint;
import org.wikiedits.query.BatchTables;

/**
 * Replaces one day of every batch table at once, crash-safe: a crash at any step leaves, after
 * {@link #recover}, the old day in every table or the new day in every table, never both or neither.
 *
 * <ol>
 *   <li>The new day is written in {@code <lake>/.batch-staging/dt=D/<table>/} and forced to disk.</li>
 *   <li>{@code READY} is written there (a temp file, renamed): the commit point.</li>
 *   <li>Table by table, the old {@code <table>/dt=D} is renamed to {@code <lake>/.batch-old/dt=D/<table>},
 *       then the staged folder renamed in.</li>
 *   <li>The old days are deleted, then the staging folder.</li>
 * </ol>
 * {@link #recover} (every compaction starts with it) finishes a staged day that has {@code READY} (step 3
 * again for each table still staged, then 4) and deletes one without it: nothing was swapped before READY.
 * A reader between the two renames of a table finds no compacted day there and reads the raw CSV
 * instead ({@link BatchTables#ALL}), which holds the same events.
 */
public final class DaySwap {

    static final String STAGING = ".batch-staging";
    static final String OLD = ".batch-old";
    static final String READY = "READY";

    /** Crash points, in order (the tests halt at each: {@code -Dwikiedits.test.crash-at=NAME}). */
    public static final String STAGED = "compact-staged";
    public static final String READY_WRITTEN = "compact-ready";
    public static final String FIRST_SET_ASIDE = "compact-first-set-aside";
    public static final String FIRST_SWAPPED = "compact-first-swapped";
    public static final String ALL_SWAPPED = "compact-all-swapped";
    public static final List<String> CRASH_POINTS = List.of(STAGED, READY_WRITTEN, FIRST_SET_ASIDE, FIRST_SWAPPED, ALL_SWAPPED);

    private DaySwap() {
    }

    /** A fresh, empty staging folder for {@code day} (one left by a failed run is deleted). */
    static Path stage(Path lake, String day) throws IOException {
        Path staging = staging(lake, day);
        deleteTree(staging);
        Files.createDirectories(staging);
        return staging;
    }

    /** The staged folder of {@code table}. */
    static Path staged(Path staging, String table) {
        return staging.resolve(table);
    }

    /** Commits the staged day: READY, then the swap of every table, then the clean-up. */
    static void commit(Path lake, String day) throws IOException {
        Path staging = staging(lake, day);
        for (String table : BatchTables.TABLES) {
            forceTree(staged(staging, table));
        }
        forceDirectory(staging);
        CrashPoint.reached(STAGED);
        Path temp = staging.resolve(READY + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.force(true);
        }
        Files.move(temp, staging.resolve(READY), StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(staging);
        CrashPoint.reached(READY_WRITTEN);
        rollForward(lake, day);
    }

    /**
     * Finishes or rolls back every staged day a stopped compaction left; returns the days finished
     * (now new) and, prefixed with {@code -}, the days rolled back (still old).
     */
    static List<String> recover(Path lake) throws IOException {
        List<String> recovered = new ArrayList<>();
        Path root = lake.resolve(STAGING);
        if (Files.isDirectory(root)) {
            try (Stream<Path> days = Files.list(root)) {
                for (Path staging : days.sorted().toList()) {
                    String day = staging.getFileName().toString().replaceFirst("^dt=", "");
                    if (Files.exists(staging.resolve(READY))) {
                        rollForward(lake, day);
                        recovered.add(day);
                    } else {
                        deleteTree(staging);
                        recovered.add("-" + day);
                    }
                }
            }
        }
        deleteTree(lake.resolve(OLD)); // old days whose staging folder was already gone: the swap had finished
        return recovered;
    }

    /** Step 3 for every table still staged, then step 4; safe to repeat after a crash at any point of it. */
    private static void rollForward(Path lake, String day) throws IOException {
        Path staging = staging(lake, day);
        Path old = lake.resolve(OLD).resolve("dt=" + day);
        boolean first = true;
        for (String table : BatchTables.TABLES) {
            Path staged = staged(staging, table);
            if (!Files.isDirectory(staged)) {
                continue; // swapped in before the crash
            }
            Path target = BatchTables.folder(lake, table).resolve("dt=" + day);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                Files.createDirectories(old);
                Files.move(target, old.resolve(table), StandardCopyOption.ATOMIC_MOVE);
                if (first) {
                    CrashPoint.reached(FIRST_SET_ASIDE);
                }
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
            if (first) {
                CrashPoint.reached(FIRST_SWAPPED);
            }
            first = false;
        }
        CrashPoint.reached(ALL_SWAPPED);
        deleteTree(old);
        deleteTree(staging);
    }

    private static Path staging(Path lake, String day) {
        return lake.resolve(STAGING).resolve("dt=" + day);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(root)) {
            for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
        forceDirectory(dir);
    }

    /** Makes renames durable where the platform allows syncing a directory (Linux does). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows): the rename is still atomic, only its durability waits for the OS
        }
    }
}
