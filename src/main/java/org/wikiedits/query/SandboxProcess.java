package org.wikiedits.query;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code query --sql} in a child JVM ({@link SandboxChild}) whose resident memory as a whole, JVM
 * heap, classes, code and DuckDB's native memory together, is held to the memory limit: DuckDB's
 * own {@code memory_limit} covers its buffers only, and a 1.5 GB {@code repeat()} string is not one.
 *
 * <p>The child is {@code <java.home>/bin/java} with this JVM's class path and small heap, class and
 * code spaces. This side reads the child's {@code VmHWM} (the kernel's high-water mark of its
 * resident set) every {@value #POLL_MILLIS} ms and kills it once that passes the limit; it also
 * kills it when it outlives the time limit by {@link #GRACE} (the child cancels the statement itself
 * at the time limit; this is for a statement that does not stop when cancelled). No root, no
 * cgroups: the cost is a second JVM's start (a second or two) and the poll.
 *
 * <p>The child's output goes to temporary files and is relayed when it ends: the result on
 * standard output only when the child finished with status 0, its messages on standard error.
 */
public final class SandboxProcess {

    /**
     * The child JVM's own share of the memory limit, the rest being DuckDB's {@code memory_limit}:
     * the 64 MB heap below, plus classes, JIT code, thread stacks and the DuckDB library, which
     * measured about 110 MB resident (docs/sql-sandbox.md).
     */
    static final int JVM_SHARE_MB = 192;

    /** Small heap, class and code spaces: the child holds at most the row limit's rows as Java objects. */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m", "-Xss512k");

    static final long POLL_MILLIS = 10;

    /** Beyond the time limit, for the child JVM to start and print; then it is killed. */
    static final Duration GRACE = Duration.ofSeconds(20);

    private SandboxProcess() {
    }

    /** Runs {@code sql} over {@code lake} in a child process within {@code limits}; returns the command's exit status. */
    public static int run(Path lake, String sql, String format, SqlSandbox.Limits limits, PrintStream out, PrintStream err) {
        return run(lake, sql, format, limits, GRACE, out, err);
    }

    /** The same with another allowance beyond the time limit before the child is killed. */
    public static int run(Path lake, String sql, String format, SqlSandbox.Limits limits, Duration grace, PrintStream out,
            PrintStream err) {
        if (limits.memoryMb() <= JVM_SHARE_MB) {
            throw new IllegalArgumentException("the memory limit must be more than the child JVM's " + JVM_SHARE_MB + " MB");
        }
        if (ResidentMemory.ownPeakKib().isEmpty()) {
            err.println("wikiedits: this system has no /proc/<pid>/status, so the query process's memory is not watched: only"
                    + " DuckDB's own memory_limit applies");
        }
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("wikiedits-sql-", ".out");
            stderr = Files.createTempFile("wikiedits-sql-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command(lake, format, limits))
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().put("MALLOC_ARENA_MAX", "2"); // glibc's per-thread arenas, in the child JVM's own share
            return watch(builder.start(), sql, limits, grace, stdout, stderr, out, err);
        } catch (IOException e) {
            err.println("wikiedits: --sql cannot start its query process: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("wikiedits: --sql interrupted");
            return 1;
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    /** One line: the peak resident memory and the time, each with its limit. */
    static String usage(OptionalLong peakKib, SqlSandbox.Limits limits, Duration elapsed) {
        String peak = peakKib.isPresent() ? "peak " + (peakKib.getAsLong() + 1023) / 1024 + " MB resident" : "peak unknown";
        return String.format(Locale.ROOT, "wikiedits: --sql used %s (limit %d MB), %.1f s (limit %d s)", peak, limits.memoryMb(),
                elapsed.toMillis() / 1000.0, limits.timeout().toSeconds());
    }

    private static List<String> command(Path lake, String format, SqlSandbox.Limits limits) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_JVM_OPTIONS);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")); // where DuckDB unpacks its library
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SandboxChild.class.getName()));
        command.addAll(List.of(lake.toAbsolutePath().normalize().toString(), format, Integer.toString(limits.memoryMb()),
                Integer.toString(limits.threads()), Integer.toString(limits.maxRows()),
                Long.toString(limits.timeout().toSeconds()), Integer.toString(limits.memoryMb() - JVM_SHARE_MB)));
        return command;
    }

    private static int watch(Process child, String sql, SqlSandbox.Limits limits, Duration grace, Path stdout, Path stderr,
            PrintStream out, PrintStream err) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limits.timeout().plus(grace).toNanos();
        long limitKib = limits.memoryMb() * 1024L;
        OptionalLong peak = OptionalLong.empty();
        String stoppedFor = null;
        try (OutputStream stdin = child.getOutputStream()) { // open until the child ends: its end-of-input means "parent gone"
            send(sql, stdin);
            while (!child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                OptionalLong now = ResidentMemory.peakKib(child.pid());
                peak = now.isPresent() ? now : peak;
                if (peak.isPresent() && peak.getAsLong() > limitKib) {
                    stoppedFor = SqlSandbox.memoryRefusal(limits);
                } else if (System.nanoTime() > deadline) {
                    stoppedFor = SqlSandbox.timeRefusal(limits);
                }
                if (stoppedFor != null) {
                    child.destroyForcibly().waitFor();
                    break;
                }
            }
        } catch (IOException | InterruptedException e) {
            child.destroyForcibly();
            throw e;
        }
        Files.copy(stderr, err);
        if (stoppedFor != null) {
            err.println("wikiedits: refused: " + stoppedFor);
            err.println(usage(peak, limits, Duration.ofNanos(System.nanoTime() - started)).replace("--sql used ", "--sql stopped at "));
            return 2;
        }
        int status = child.exitValue();
        if (status == 0) {
            Files.copy(stdout, out);
            out.flush();
        }
        if (status > 2) {
            err.println("wikiedits: --sql failed: its query process ended with status " + status);
            return 1;
        }
        return status;
    }

    /** The statement as its length and UTF-8 bytes; a child that has ended already says why on its standard error. */
    private static void send(String sql, OutputStream stdin) {
        try {
            DataOutputStream statement = new DataOutputStream(stdin);
            byte[] text = sql.getBytes(StandardCharsets.UTF_8);
            statement.writeInt(text.length);
            statement.write(text);
            statement.flush();
        } catch (IOException e) {
            // the child is gone (it could not start); waiting for it below relays its error
        }
    }

    private static void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary file left behind; nothing to do about it here
        }
    }
}
