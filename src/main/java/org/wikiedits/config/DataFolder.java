package org.wikiedits.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private final OwnerLock lock;

    private DataFolder(Path dir, OwnerLock lock) {
        this.dir = dir;
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
        OwnerLock lock;
        try {
            lock = OwnerLock.tryAcquire(lockFile).orElse(null);
        } catch (IOException e) {
            throw new StartupFailure("Cannot lock the data folder " + dir + " (" + reason(e) + "): set " + SETTING
                    + " to a folder this user can write", e);
        }
        if (lock == null) {
            String owner = OwnerLock.holder(lockFile);
            throw new StartupFailure("Another wikiedits" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + " is already running on the data folder " + dir + ": stop it first, or give this one its own folder with -D"
                    + SETTING + "=...");
        }
        return new DataFolder(dir, lock);
    }

    public Path dir() {
        return dir;
    }

    /** Releases the folder; the lock file stays (an empty one is harmless, and deleting it would race the next owner). */
    @Override
    public void close() throws IOException {
        lock.close();
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
}
