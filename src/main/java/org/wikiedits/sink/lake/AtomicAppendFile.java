package org.wikiedits.sink.lake;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * An append-only file whose appends are all or nothing, so a failed write (disk full) never leaves
 * half a row behind. Rows collect in a buffer and go to the file in whole; a write that fails is cut
 * off again ({@code truncate}) and the row that triggered it is taken back out of the buffer, so the
 * caller can retry it. The rows appended before stay buffered and go out with the next write.
 */
public final class AtomicAppendFile implements Closeable {

    private static final int FLUSH_AT = 64 * 1024;

    private final FileChannel channel;
    private byte[] buffer = new byte[FLUSH_AT];
    private int buffered;
    /** Bytes in the file that are whole rows: everything past it is the remains of a failed write. */
    private long written;

    public AtomicAppendFile(FileChannel channel) {
        this.channel = channel;
    }

    /** Appends {@code row} whole, or throws and leaves the file as it was before. */
    public void append(byte[] row) throws IOException {
        if (buffered + row.length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + row.length));
        }
        System.arraycopy(row, 0, buffer, buffered, row.length);
        buffered += row.length;
        if (buffered >= FLUSH_AT) {
            try {
                flush();
            } catch (IOException e) {
                buffered -= row.length;
                throw e;
            }
        }
    }

    /** Bytes appended, written or still buffered. */
    public long size() {
        return written + buffered;
    }

    /** Writes the buffered rows to the file, or throws with the file cut back to its last whole row. */
    public void flush() throws IOException {
        if (buffered == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, buffered);
        try {
            channel.position(written);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            try {
                channel.truncate(written);
            } catch (IOException truncateFailed) {
                e.addSuppressed(truncateFailed); // the next flush writes from `written` again, over the remains
            }
            throw e;
        }
        written += buffered;
        buffered = 0;
    }

    /** Writes what is buffered and forces it to the storage device. */
    public void force() throws IOException {
        flush();
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
