package org.wikiedits.query.compaction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wikiedits.query.SandboxProcess;

/**
 * The scheduled compaction's bean ({@code parquetCompaction} in the route
 * {@code routes/local/compact/compaction.camel.yaml}): runs {@link CompactionChild} in a child JVM with
 * small heap, class and code spaces ({@link SandboxProcess#CHILD_JVM_OPTIONS}), so that DuckDB's native
 * memory, bounded by {@code wikiedits.compact.memory-limit}, is outside the app's process.
 */
public final class CompactionProcess {

    private final Path dataDir;
    private final ParquetCompaction.Limits limits;

    public CompactionProcess(Path dataDir, ParquetCompaction.Limits limits) {
        this.dataDir = dataDir;
        this.limits = limits;
    }

    /** One run of {@code compact --parquet --all}; returns what it did, one line per day changed. */
    public String run() throws IOException, InterruptedException {
        Path output = Files.createTempFile("wikiedits-compaction-", ".out");
        try {
            Process child = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            int status = child.waitFor();
            String said = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (status != 0) {
                throw new IOException("the scheduled compaction (compact --parquet --all) ended with status " + status + ": " + said);
            }
            return "compact --parquet --all: " + said;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SandboxProcess.CHILD_JVM_OPTIONS);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")); // where DuckDB unpacks its library
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CompactionChild.class.getName(),
                dataDir.toAbsolutePath().normalize().toString(), Long.toString(limits.grace().toMillis()), limits.memoryLimit(),
                Integer.toString(limits.threads())));
        return command;
    }
}
