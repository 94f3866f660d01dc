package org.wikiedits.query.compaction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.wikiedits.sink.lake.LocalLakeStorage;

/**
 * The raw CSV files of one day as a compaction saw them (path, size, modification time): kept
 * beside the compacted day as {@value #MANIFEST}, so {@code --all} can tell a day that changed
 * since (a late event, a backfill, a CSV compaction) from one already done.
 */
record SourceFiles(List<String> entries, boolean beingWritten) {

    /** The record's name in the compacted day's folder (not {@code *.parquet}: readers skip it). */
    static final String MANIFEST = "_sources.tsv";

    /** The CSV files under {@code rawDay} ({@code dt=D/hour=HH/*.csv}); beingWritten when the app has a pending file there. */
    static SourceFiles of(Path rawDay) throws IOException {
        List<String> entries = new ArrayList<>();
        boolean pending = false;
        if (Files.isDirectory(rawDay)) {
            try (Stream<Path> files = Files.walk(rawDay, 2)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = file.getFileName().toString();
                    pending |= name.endsWith(LocalLakeStorage.PENDING_SUFFIX);
                    if (name.endsWith(".csv") && file.getParent().getFileName().toString().startsWith("hour=")) {
                        entries.add(rawDay.relativize(file).toString().replace('\\', '/') + "\t" + Files.size(file) + "\t"
                                + Files.getLastModifiedTime(file).toMillis());
                    }
                }
            }
        }
        return new SourceFiles(entries, pending);
    }

    /** The record a compaction of {@code compactedDay} left there, if any. */
    static Optional<SourceFiles> recorded(Path compactedDay) throws IOException {
        Path manifest = compactedDay.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        return Optional.of(new SourceFiles(Files.readAllLines(manifest, StandardCharsets.UTF_8), false));
    }

    /** The hour partitions ({@code hour=HH}) of {@code rawDay} that these files are in, sorted. */
    List<Path> hourPartitions(Path rawDay) {
        return entries.stream().map(entry -> entry.substring(0, entry.indexOf('/'))).distinct().sorted()
                .map(rawDay::resolve).toList();
    }

    void writeTo(Path dir) throws IOException {
        Files.write(dir.resolve(MANIFEST), entries, StandardCharsets.UTF_8);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
