package org.wikiedits.sink.lake;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system calls through which lake files are written: the seam where tests inject disk-full
 * and rename failures (CI runs as root, so permissions cannot make a folder unwritable).
 */
public interface LakeFileSystem {

    /** The real file system. */
    LakeFileSystem DEFAULT = new LakeFileSystem() { };

    /** Opens a new file for writing; it must not exist. */
    default FileChannel create(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Renames {@code from} to {@code to} in one atomic step. */
    default void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
