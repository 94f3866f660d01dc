package org.wikiedits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data folder ({@code wikiedits.data.dir}) claimed by one running pipeline: created and
 * checked writable before anything starts, and locked ({@value #LOCK_FILE}, holding the owner's pid)
 * until {@link #close}. Two pipelines on one folder would write the same lake partitions and
 * checkpoint; the second one stops at once with a message instead.
 */
public final class DataFolder implements AutoCloseable {

    static final String LOCK_FILE = ".wikiedits.lock";
    private static final String SETTING = "wikiedits.data.dir";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolder(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws StartupFailure when the folder cannot be created or written, or another pipeline holds it
     */
    public static DataFolder claim(Path configured) {
        Path dir = configured.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".write-check-", ".tmp"));
        } catch (IOException e) {
            throw new StartupFailure("Cannot write to the data folder " + dir + " (" + reason(e) + "): set " + SETTING
                    + " to a folder this user can write", e);
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String owner = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
                throw new StartupFailure("Another wikiedits" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + " is already running on the data folder " + dir + ": stop it first, or give this one its own folder with -D"
                        + SETTING + "=...");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            return new DataFolder(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartupFailure("Cannot lock the data folder " + dir + " (" + reason(e) + "): set " + SETTING
                    + " to a folder this user can write", e);
        } catch (StartupFailure e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Null when another process holds the lock, or another pipeline in this JVM. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    public Path dir() {
        return dir;
    }

    /** Releases the folder; the lock file stays (an empty one is harmless, and deleting it would race the next owner). */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
        } finally {
            channel.close();
        }
    }

    /** What the file system said, without the exception's class name. */
    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a folder";
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return (fs.getFile() == null ? "" : fs.getFile() + ": ") + fs.getReason();
        }
        return e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }
}
