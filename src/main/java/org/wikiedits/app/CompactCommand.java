package org.wikiedits.app;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.wikiedits.config.OwnerLock;
import org.wikiedits.config.Settings;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.athena.AthenaCompaction;
import org.wikiedits.query.compaction.ParquetCompaction;
import org.wikiedits.sink.lake.LocalLakeStorage;
import org.wikiedits.transform.CsvRow;

/**
 * {@code compact [--dry-run]}: rewrites each partition of the local lake
 * ({@code <wikiedits.data.dir>/lake/wikiedits/dt=.../hour=...}) into one file without repeated
 * event_ids, the first occurrence kept byte for byte.
 *
 * <p>Crash-safe order: write {@code .compact-<uuid>.csv.tmp} (not matched by the lake's
 * {@code *.csv} glob), force it to disk, rename it atomically to {@code compacted-<uuid>.csv},
 * then delete the files it replaces. A crash before the rename leaves a temp file that the next
 * run removes; a crash after it leaves duplicates for a moment, which queries absorb
 * ({@code count(DISTINCT event_id)}) and the next run removes.
 *
 * <p>Beside the running app (a later version runs compaction inside it): the app writes a partition
 * through a hidden pending file ({@code .<name>.csv.inprogress}) that it renames into the partition
 * when it commits. Compaction never touches a partition that holds a pending file (it reports it as
 * being written and leaves it byte for byte), and in any partition it replaces only the files it listed
 * at its start, so a file the app renames in meanwhile is kept. Two compactions exclude each other:
 * each holds {@code <data>/.compact.lock} ({@link OwnerLock}, as the app holds its data folder), and
 * a second one exits with status 1 and says which process holds it.
 *
 * <p>{@code compact --parquet (--day D | --all)}: the batch layer's columnar tables ({@link ParquetCompaction},
 * docs/batch-layer.md), under the same lock.
 *
 * <p>Exit status: 0 done, 1 an I/O error (the message names the file), another compaction running, a day that
 * failed or (with --day) is not complete yet, 2 usage or aws mode.
 */
public final class CompactCommand {

    public static final String USAGE = """
            Usage: compact [--dry-run]
                   compact --parquet (--day YYYY-MM-DD | --all) [--dry-run]
              without --parquet: rewrites every partition of the local lake into one file without duplicate event_ids
              --parquet  builds the batch layer's columnar tables of completed days (docs/batch-layer.md):
                         <data>/lake/wikiedits_parquet/dt=.../ and the aggregates beside it; the raw CSV stays
              --day D    that day (complete wikiedits.compact.grace after its end, UTC)
              --all      every completed day not compacted yet, or changed since its compaction
              --dry-run  report what would change, change nothing""";

    private static final Pattern DAY = Pattern.compile("dt=\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern HOUR = Pattern.compile("hour=\\d{2}");
    private static final String TEMP_PREFIX = ".compact-";

    static final String LOCK_FILE = ParquetCompaction.LOCK_FILE;

    /** What compaction did (or would do) to one partition; {@code beingWritten}: left alone, the app writes it. */
    record PartitionResult(Path partition, int filesBefore, long rowsBefore, long rowsAfter, boolean rewritten,
                           boolean beingWritten) {
        PartitionResult(Path partition, int filesBefore, long rowsBefore, long rowsAfter, boolean rewritten) {
            this(partition, filesBefore, rowsBefore, rowsAfter, rewritten, false);
        }
    }

    /**
     * The command's options, parsed here once for every mode: the local engine ({@link ParquetCompaction}) and
     * the aws one read the same record. {@code day} empty with {@code parquet}: {@code --all}.
     */
    record Options(boolean parquet, Optional<LocalDate> day, boolean all, boolean dryRun, boolean help) {

        static Options parse(String[] args) {
            boolean parquet = false;
            boolean all = false;
            boolean dryRun = false;
            Optional<LocalDate> day = Optional.empty();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        return new Options(false, Optional.empty(), false, false, true);
                    }
                    case "--dry-run" -> dryRun = true;
                    case "--parquet" -> parquet = true;
                    case "--all" -> all = true;
                    case "--day" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--day needs a day, YYYY-MM-DD");
                        }
                        day = Optional.of(NamedQueries.parseDate(args[++i]));
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (!parquet && (all || day.isPresent())) {
                throw new IllegalArgumentException("--day and --all choose days of the columnar tables: add --parquet");
            }
            if (parquet && all == day.isPresent()) {
                throw new IllegalArgumentException("--parquet needs either --day YYYY-MM-DD or --all");
            }
            return new Options(parquet, day, all, dryRun, false);
        }
    }

    private CompactCommand() {
    }

    /** Runs the subcommand with standard output and error; returns the exit status. */
    public static int run(Settings settings, String[] args) {
        return run(settings, args, System.out, System.err);
    }

    static int run(Settings settings, String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage().replace("--date", "--day"));
            err.println(USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        String mode = settings.get("wikiedits.mode");
        if (!mode.equals("local")) {
            if (options.parquet()) {
                return awsParquet(settings, options, out, err);
            }
            err.println("wikiedits: only the local lake can be compacted (wikiedits.mode=" + mode + "); compacting the S3"
                    + " lake is not built yet. Run with -Dwikiedits.mode=local for <wikiedits.data.dir>/lake.");
            return 2;
        }
        Path dataDir;
        ParquetCompaction.Limits limits;
        try {
            dataDir = settings.dataDir();
            limits = ParquetCompaction.Limits.of(settings::get);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage());
            return 2;
        }
        Path lake = dataDir.resolve("lake");
        Path lockFile = dataDir.resolve(LOCK_FILE);
        try (OwnerLock lock = Files.isDirectory(dataDir) ? OwnerLock.tryAcquire(lockFile).orElse(null) : null) {
            if (lock == null && Files.isDirectory(dataDir)) {
                String owner = OwnerLock.holder(lockFile);
                err.println("wikiedits: another compaction is running on " + dataDir.toAbsolutePath().normalize()
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")") + ": wait for it to finish, then run compact again");
                return 1;
            }
            // without a data folder there is nothing to lock and nothing to compact
            return options.parquet() ? parquetLocked(new ParquetCompaction(dataDir, limits, Clock.systemUTC()), options, out, err)
                    : compactLocked(lake, options.dryRun(), out);
        } catch (IOException e) {
            err.println("wikiedits: " + e);
            return 1;
        }
    }

    /** {@code compact --parquet} in aws mode: the Iceberg tables through Athena, for the same {@link Options}. */
    private static int awsParquet(Settings settings, Options options, PrintStream out, PrintStream err) {
        return AthenaCompaction.run(settings, options.day(), out, err);
    }

    /** The local batch layer: the day asked for, or every completed day that needs it. */
    private static int parquetLocked(ParquetCompaction compaction, Options options, PrintStream out, PrintStream err)
            throws IOException {
        if (!options.dryRun()) {
            compaction.recover().forEach(out::println);
        }
        List<ParquetCompaction.DayResult> results = options.all() ? compaction.all(options.dryRun())
                : List.of(compaction.day(options.day().orElseThrow(), options.dryRun()));
        results.forEach(r -> out.println((options.dryRun() ? "dry run: " : "") + r.describe()));
        out.printf("%s%d days, %d compacted, %d unchanged, %d not complete yet%n", options.dryRun() ? "dry run: " : "",
                results.size(), count(results, ParquetCompaction.Outcome.COMPACTED)
                        + count(results, ParquetCompaction.Outcome.WOULD_COMPACT),
                count(results, ParquetCompaction.Outcome.UNCHANGED), count(results, ParquetCompaction.Outcome.INCOMPLETE));
        if (count(results, ParquetCompaction.Outcome.FAILED) > 0) {
            err.println("wikiedits: compact --parquet failed for " + count(results, ParquetCompaction.Outcome.FAILED)
                    + " day(s): see above; the days stay as they were");
            return 1;
        }
        if (!options.all() && results.get(0).outcome() == ParquetCompaction.Outcome.INCOMPLETE) {
            err.println("wikiedits: dt=" + results.get(0).day() + " is not complete yet (" + results.get(0).detail()
                    + "): compact it after that");
            return 1;
        }
        return 0;
    }

    private static long count(List<ParquetCompaction.DayResult> results, ParquetCompaction.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    private static int compactLocked(Path lake, boolean dryRun, PrintStream out) throws IOException {
        List<PartitionResult> results = compactLake(lake, dryRun);
        long before = results.stream().mapToLong(PartitionResult::rowsBefore).sum();
        long after = results.stream().mapToLong(PartitionResult::rowsAfter).sum();
        for (PartitionResult r : results) {
            if (r.beingWritten()) {
                out.printf("%s: left alone, being written by the app (a pending file is there)%n", lake.relativize(r.partition()));
            } else if (r.rewritten()) {
                out.printf("%s: %d files, %d rows -> 1 file, %d rows%n", lake.relativize(r.partition()),
                        r.filesBefore(), r.rowsBefore(), r.rowsAfter());
            }
        }
        out.printf("%s%d partitions, %d rewritten, %d duplicate rows removed (%d rows kept)%n",
                dryRun ? "dry run: " : "", results.size(), results.stream().filter(PartitionResult::rewritten).count(),
                before - after, after);
        return 0;
    }

    /** Compacts every {@code dt=YYYY-MM-DD/hour=HH} partition under {@code lake/wikiedits}. */
    static List<PartitionResult> compactLake(Path lake, boolean dryRun) throws IOException {
        List<PartitionResult> results = new ArrayList<>();
        Path root = lake.resolve(LakeSql.TABLE);
        if (!Files.isDirectory(root)) {
            return results;
        }
        for (Path day : children(root, DAY)) {
            for (Path hour : children(day, HOUR)) {
                results.add(compactPartition(hour, dryRun));
            }
        }
        return results;
    }

    /** Rewrites one partition when it has several files or repeated event_ids; otherwise leaves it alone. */
    static PartitionResult compactPartition(Path partition, boolean dryRun) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partition)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().endsWith(LocalLakeStorage.PENDING_SUFFIX)) {
                    return new PartitionResult(partition, 0, 0, 0, false, true);
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partition)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    if (!dryRun) {
                        Files.deleteIfExists(entry); // left by a compaction that stopped before its rename
                    }
                } else if (name.endsWith(".csv") && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        if (files.size() == 1 || dryRun) {
            // a read-only pass first: most partitions are already compact, and need no rewrite
            long[] counts = copyDistinct(files, null);
            boolean rewrite = files.size() > 1 || counts[1] < counts[0];
            if (dryRun || !rewrite) {
                return new PartitionResult(partition, files.size(), counts[0], counts[1], rewrite);
            }
        }
        if (files.isEmpty()) {
            return new PartitionResult(partition, 0, 0, 0, false);
        }
        Path temp = partition.resolve(TEMP_PREFIX + UUID.randomUUID() + ".csv.tmp");
        long[] counts;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(
                        Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
            counts = copyDistinct(files, writer);
            writer.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Path target = partition.resolve("compacted-" + UUID.randomUUID() + ".csv");
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(partition);
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        return new PartitionResult(partition, files.size(), counts[0], counts[1], true);
    }

    /**
     * Copies the rows of {@code files} whose event_id was not seen before to {@code writer}
     * ({@code null}: only count); returns {rows read, rows kept}. A row whose id cannot be read
     * is kept: compaction never drops what it does not understand.
     */
    private static long[] copyDistinct(List<Path> files, BufferedWriter writer) throws IOException {
        Set<String> seen = new HashSet<>();
        long rowsBefore = 0;
        long rowsAfter = 0;
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    rowsBefore++;
                    String id = CsvRow.eventIdOf(line);
                    if (id == null || id.isEmpty() || seen.add(id)) {
                        rowsAfter++;
                        if (writer != null) {
                            writer.write(line);
                            writer.write('\n');
                        }
                    }
                }
            }
        }
        return new long[] {rowsBefore, rowsAfter};
    }

    /** Makes the rename durable where the platform allows syncing a directory (Linux does). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows): the rename is still atomic, only its durability waits for the OS
        }
    }

    private static List<Path> children(Path dir, Pattern name) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) && name.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        }
    }
}
