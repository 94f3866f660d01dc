package org.wikiedits.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real recorded events, {@code ../shared/samples/*.ndjson} relative to the project root (where CI
 * lays them out; they are never copied into the project). Every test that reads them goes through
 * here. When they are missing, a test that needs them is skipped on a developer's machine but fails
 * where they are required: with {@code WIKIEDITS_REQUIRE_SAMPLES=true} (which {@code .ci/run} sets),
 * or with {@code CI=true} unless {@code WIKIEDITS_REQUIRE_SAMPLES=false}. So CI cannot pass by
 * silently skipping them.
 */
public final class Samples {

    public static final String REQUIRE_VARIABLE = "WIKIEDITS_REQUIRE_SAMPLES";
    public static final Path FOLDER = Path.of("..", "shared", "samples");

    private Samples() {
    }

    /** Each sample file's non-blank lines, by file name in name order; skips the test (or fails, when required) without them. */
    public static Map<String, List<String>> byFileName() {
        return read(FOLDER, System.getenv(), true);
    }

    /** Every sample's line, file after file; skips the test (or fails, when required) without them. */
    public static List<String> lines() {
        return concat(byFileName());
    }

    /**
     * For tests that add the samples to events of their own: every sample's line, or none when the
     * samples are missing and not required (fails when they are required).
     */
    public static List<String> linesIfPresent() {
        return concat(read(FOLDER, System.getenv(), false));
    }

    /** Whether missing samples fail the run, from the environment {@code env}. */
    static boolean required(Map<String, String> env) {
        String require = env.get(REQUIRE_VARIABLE);
        if (require != null && !require.isBlank()) {
            return Boolean.parseBoolean(require.trim());
        }
        return "true".equalsIgnoreCase(String.valueOf(env.get("CI")).trim());
    }

    /** The samples in {@code folder}; when there are none: fail if required, else skip or return none. */
    static Map<String, List<String>> read(Path folder, Map<String, String> env, boolean skipWhenMissing) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".ndjson")).sorted().toList()) {
                    byName.put(file.getFileName().toString(),
                            Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the recorded samples in " + folder.toAbsolutePath().normalize(), e);
            }
        }
        if (!byName.isEmpty()) {
            return Collections.unmodifiableMap(byName);
        }
        String where = "no recorded samples (*.ndjson) at " + folder.toAbsolutePath().normalize();
        if (required(env)) {
            throw new AssertionError(where + ", and they are required here (" + REQUIRE_VARIABLE + "=true or CI=true):"
                    + " lay out the shared samples folder next to the project, or set " + REQUIRE_VARIABLE + "=false to skip");
        }
        if (skipWhenMissing) {
            Assumptions.abort("skipped: " + where + " (CI lays them out next to the project and requires them)");
        }
        return Map.of();
    }

    private static List<String> concat(Map<String, List<String>> byName) {
        List<String> lines = new ArrayList<>();
        byName.values().forEach(lines::addAll);
        return lines;
    }
}
