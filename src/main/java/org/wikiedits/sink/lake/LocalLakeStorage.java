package org.wikiedits.sink.lake;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.wikiedits.commit.CrashPoint;

/**
 * The lake as a local folder: {@code <root>/dt=YYYY-MM-DD/hour=HH/<name>.csv}. Pending files are
 * hidden ({@code .<name>.csv.inprogress}, which no {@code *.csv} glob matches), forced to disk and
 * then renamed atomically; the folder entry is forced too so the rename survives a power cut.
 * Appends are all or nothing ({@link AtomicAppendFile}), and a commit whose rename failed can be
 * retried: the file stays forced and closed, only the rename is repeated.
 */
public final class LocalLakeStorage implements LakeStorage {

    /** Ends the name of a file being written (compaction leaves its partition alone). */
    public static final String PENDING_SUFFIX = ".inprogress";

    private final Path root;
    private final LakeFileSystem fileSystem;

    public LocalLakeStorage(Path root) {
        this(root, LakeFileSystem.DEFAULT);
    }

    /** With the file-system calls of {@code fileSystem} (the fault-injection seam of tests). */
    public LocalLakeStorage(Path root, LakeFileSystem fileSystem) {
        this.root = root;
        this.fileSystem = fileSystem;
    }

    @Override
    public EventIdSet committedIds(String partition) throws IOException {
        EventIdSet ids = new EventIdSet();
        Path dir = root.resolve(partition);
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(LocalLakeStorage::isCommitted)::iterator) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    ids.addRowsOf(reader);
                }
            }
        }
        return ids;
    }

    @Override
    public PendingFile create(String partition, String fileName) throws IOException {
        Path dir = Files.createDirectories(root.resolve(partition));
        return new LocalPendingFile(dir.resolve("." + fileName + PENDING_SUFFIX), dir.resolve(fileName));
    }

    @Override
    public int discardPending() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int discarded = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(PENDING_SUFFIX))::iterator) {
                Files.deleteIfExists(file);
                discarded++;
            }
        }
        return discarded;
    }

    @Override
    public String describe() {
        return root.toAbsolutePath().normalize().toString();
    }

    private static boolean isCommitted(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".csv") && !name.startsWith(".");
    }

    private final class LocalPendingFile implements PendingFile {
        private final Path pending;
        private final Path target;
        private final AtomicAppendFile file;
        private boolean closed;

        LocalPendingFile(Path pending, Path target) throws IOException {
            this.pending = pending;
            this.target = target;
            this.file = new AtomicAppendFile(fileSystem.create(pending));
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            file.append(bytes);
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        public void commit() throws IOException {
            if (!closed) {
                file.force();
                file.close();
                closed = true;
            }
            CrashPoint.reached(CrashPoint.LAKE_TEMP_WRITTEN);
            fileSystem.rename(pending, target);
            forceDirectory(target.getParent());
        }

        @Override
        public void discard() throws IOException {
            file.close();
            closed = true;
            Files.deleteIfExists(pending);
        }

        private static void forceDirectory(Path dir) {
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
                dirChannel.force(true);
            } catch (IOException ignored) {
                // some file systems cannot open a folder for reading; the rename is still atomic
            }
        }
    }
}
