package org.wikiedits.query;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The child side of {@code query --sql}, started by {@link SandboxProcess}: runs one statement in
 * the {@link SqlSandbox} and prints the result as the command does, with the command's exit status
 * (0 done, 1 failed, 2 refused); its last line on standard error is its peak resident memory.
 *
 * <p>Arguments: lake, format, memory MB, threads, max rows, timeout s, DuckDB's share of the memory
 * in MB. The statement comes on standard input (length, then UTF-8), which then stays open: when
 * it closes, the parent is gone and nothing would watch this process any more, so it halts.
 */
public final class SandboxChild {

    /** Exit status when the parent went away before the statement finished. */
    static final int ORPHANED = 3;

    private SandboxChild() {
    }

    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        Path lake = Path.of(args[0]);
        String format = args[1];
        SqlSandbox.Limits limits = new SqlSandbox.Limits(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Duration.ofSeconds(Long.parseLong(args[5])));
        int duckDbMemoryMb = Integer.parseInt(args[6]);
        DataInputStream parent = new DataInputStream(System.in);
        byte[] statement = new byte[parent.readInt()];
        parent.readFully(statement);
        haltWhenClosed(parent);

        int status = run(lake, new String(statement, StandardCharsets.UTF_8), format, limits, duckDbMemoryMb, System.out,
                System.err);
        System.out.flush();
        System.err.println(SandboxProcess.usage(ResidentMemory.ownPeakKib(), limits, Duration.ofNanos(System.nanoTime() - started)));
        System.exit(status);
    }

    static int run(Path lake, String sql, String format, SqlSandbox.Limits limits, int duckDbMemoryMb, PrintStream out,
            PrintStream err) {
        try (SqlSandbox sandbox = SqlSandbox.open(lake, limits, duckDbMemoryMb)) {
            ResultFormat.print(sandbox.run(sql), format, out);
            return 0;
        } catch (SqlSandbox.Refused e) {
            err.println("wikiedits: refused: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) { // the JVM heap, while reading or printing the rows
            err.println("wikiedits: refused: " + SqlSandbox.memoryRefusal(limits));
            return 2;
        } catch (SQLException e) {
            err.println("wikiedits: --sql failed on the lake at " + lake.toAbsolutePath().normalize() + ": " + e.getMessage());
            return 1;
        }
    }

    private static void haltWhenClosed(DataInputStream parent) {
        Thread watch = new Thread(() -> {
            try {
                while (parent.read() != -1) {
                    // the parent sends nothing more; end of input means it has gone
                }
            } catch (IOException e) {
                // the same: the pipe is broken
            }
            Runtime.getRuntime().halt(ORPHANED);
        }, "sql-sandbox-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
