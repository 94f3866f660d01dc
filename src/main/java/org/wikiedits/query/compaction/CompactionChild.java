package org.wikiedits.query.compaction;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.wikiedits.config.OwnerLock;

/**
 * The child process of a scheduled compaction ({@link CompactionProcess}): {@code compact --parquet --all}
 * in a JVM of its own, so DuckDB's native memory (outside any Java heap) is not the app's.
 * Arguments: data folder, grace in ms, DuckDB memory limit, threads. Prints one line per day; exit
 * status 0 done, 1 a day failed or another compaction holds the data folder.
 */
public final class CompactionChild {

    private CompactionChild() {
    }

    public static void main(String[] args) {
        ParquetCompaction.Limits limits = new ParquetCompaction.Limits(Duration.ofMillis(Long.parseLong(args[1])), args[2],
                Integer.parseInt(args[3]));
        System.exit(run(Path.of(args[0]), limits, Clock.systemUTC(), System.out));
    }

    /** {@code --all} under the data folder's compaction lock; the exit status. */
    static int run(Path dataDir, ParquetCompaction.Limits limits, Clock clock, PrintStream out) {
        if (!Files.isDirectory(dataDir)) {
            out.println("no data folder " + dataDir.toAbsolutePath().normalize() + " yet: nothing to compact");
            return 0;
        }
        Path lockFile = dataDir.resolve(ParquetCompaction.LOCK_FILE);
        try (OwnerLock lock = OwnerLock.tryAcquire(lockFile).orElse(null)) {
            if (lock == null) {
                out.println("another compaction is running (pid " + OwnerLock.holder(lockFile) + "): this run is skipped");
                return 1;
            }
            ParquetCompaction compaction = new ParquetCompaction(dataDir, limits, clock);
            compaction.recover().forEach(out::println);
            List<ParquetCompaction.DayResult> results = compaction.all(false);
            results.stream().filter(r -> r.outcome() != ParquetCompaction.Outcome.UNCHANGED)
                    .forEach(r -> out.println(r.describe()));
            out.printf("%d days, %d compacted, %d unchanged%n", results.size(),
                    count(results, ParquetCompaction.Outcome.COMPACTED), count(results, ParquetCompaction.Outcome.UNCHANGED));
            return count(results, ParquetCompaction.Outcome.FAILED) > 0 ? 1 : 0;
        } catch (IOException e) {
            out.println("compaction failed: " + e);
            return 1;
        }
    }

    static long count(List<ParquetCompaction.DayResult> results, ParquetCompaction.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }
}
