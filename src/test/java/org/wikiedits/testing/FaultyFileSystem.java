package org.wikiedits.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.wikiedits.sink.lake.LakeFileSystem;

/**
 * The lake's file system with faults switched on and off by the test: a full disk (a write stores
 * part of its bytes, then fails with "No space left on device", as write(2) does), an unwritable
 * folder (new files cannot be created: "Permission denied"), and failing renames.
 */
public final class FaultyFileSystem implements LakeFileSystem {

    private volatile boolean diskFull;
    /** The disk fills up once this many bytes have been written (mid-stream faults). */
    private volatile long fullAfterBytes = Long.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicLong writtenBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean renameFails;
    private volatile boolean unwritable;
    private final AtomicInteger refusedCreates = new AtomicInteger();
    private final AtomicInteger failedWrites = new AtomicInteger();
    private final AtomicInteger failedRenames = new AtomicInteger();

    public void diskFull(boolean full) {
        diskFull = full;
        if (!full) {
            fullAfterBytes = Long.MAX_VALUE;
        }
    }

    /** The disk becomes full once {@code bytes} more have been written; {@code diskFull(false)} frees it. */
    public void diskFullAfter(long bytes) {
        fullAfterBytes = writtenBytes.get() + bytes;
    }

    private boolean full() {
        if (!diskFull && writtenBytes.get() >= fullAfterBytes) {
            diskFull = true;
        }
        return diskFull;
    }

    /** The lake's folders refuse new files, as a folder without write permission does (chmod cannot: CI runs as root). */
    public void unwritable(boolean refuse) {
        unwritable = refuse;
    }

    public int refusedCreates() {
        return refusedCreates.get();
    }

    public void renameFails(boolean fails) {
        renameFails = fails;
    }

    public int failedWrites() {
        return failedWrites.get();
    }

    public int failedRenames() {
        return failedRenames.get();
    }

    @Override
    public FileChannel create(Path file) throws IOException {
        if (unwritable) {
            refusedCreates.incrementAndGet();
            throw new AccessDeniedException(file.toString(), null, "Permission denied (injected)");
        }
        return wrap(LakeFileSystem.super.create(file));
    }

    /** {@code real} with this file system's disk-full faults (for other stores' seams, e.g. the dead letters). */
    public FileChannel wrap(FileChannel real) {
        return new FullableChannel(real);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        if (renameFails) {
            failedRenames.incrementAndGet();
            throw new IOException("rename " + from + " -> " + to + ": Input/output error (injected)");
        }
        LakeFileSystem.super.rename(from, to);
    }

    /** A real file channel whose writes store a few bytes and then fail while the disk is "full". */
    private final class FullableChannel extends FileChannel {
        private final FileChannel real;

        FullableChannel(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (full()) {
                failedWrites.incrementAndGet();
                if (src.remaining() > 1) {
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + src.remaining() / 2);
                    real.write(part); // half a write lands, as on a real full disk
                }
                throw new IOException("No space left on device (injected)");
            }
            int written = real.write(src);
            writtenBytes.addAndGet(written);
            return written;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (full()) {
                failedWrites.incrementAndGet();
                throw new IOException("No space left on device (injected, fsync)");
            }
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (full()) {
                failedWrites.incrementAndGet();
                throw new IOException("No space left on device (injected)");
            }
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
