package org.wikiedits.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the transformation benchmarks side by side in one JVM run and writes a markdown report:
 * events/s (wall and CPU time) and MB per CPU second of each variant, and the ratios the issue sets targets for
 * (ours ÷ floor ≥ 0.5, ours ÷ naive Camel chain ≥ 3). Arguments: the report's path, then any JMH
 * options (e.g. {@code -prof jfr}, or a benchmark name pattern, which replaces the default one).
 */
public final class TransformBenchmarks {

    private static final String[][] BENCHMARKS = {
        // class, label, floor method, comparison method
        {"LakeRowBench", "reader + lake row", "jacksonScan", "naiveCamel"},
        {"SearchDocumentBench", "reader + search document", "jacksonScan", "naiveCamel"},
        {"SseFrameBench", "SSE frame parser", "decodeFloor", "naiveLineReader"},
    };

    private TransformBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        CommandLineOptions jmhOptions = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
        OptionsBuilder options = new OptionsBuilder();
        options.parent(jmhOptions);
        options.addProfiler(CpuTimeProfiler.class);
        if (jmhOptions.getIncludes().isEmpty()) {
            options.include(TransformBenchmarks.class.getPackageName() + ".*Bench\\.");
        }
        Instant started = Instant.now();
        Collection<RunResult> results = new Runner(options.build()).run();
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown(results, started, String.join(" ", Arrays.copyOfRange(args, 1, args.length))),
                StandardCharsets.UTF_8);
        System.out.println("Report: " + report.toAbsolutePath());
    }

    private static String markdown(Collection<RunResult> results, Instant started, String jmhArgs) {
        BenchEvents events = BenchEvents.get();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1), result);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Transformations (JMH)\n\n")
                .append("Run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(machine()).append(".\n")
                .append("Input: ").append(events.source).append("; ")
                .append(String.format(Locale.ROOT, "%.0f", (double) events.jsonBytes / BenchEvents.COUNT))
                .append(" bytes of JSON per event on average (").append(events.sseBytes / BenchEvents.COUNT)
                .append(" as SSE frames, in ").append(BenchEvents.CHUNK_BYTES / 1024).append(" KiB chunks).\n")
                .append("One thread each. Two rates: per second of wall time (JMH's score) and per second of CPU time of the")
                .append(" benchmark JVM (`CpuTimeProfiler`, JIT and GC included): on a shared machine the first swings with")
                .append(" the load, the second is the rate per core, and the ratios are taken from it.")
                .append(" MB counts the JSON bytes (SSE: the stream's bytes).")
                .append(jmhArgs.isBlank() ? "" : " JMH options: `" + jmhArgs + "`.").append("\n\n")
                .append("| transformation | variant | events/s (wall) | ± (99.9%) | events per CPU-s | ± (99.9%) | MB per CPU-s | ÷ floor | ÷ naive |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] benchmark : BENCHMARKS) {
            RunResult floor = byName.get(benchmark[0] + "." + benchmark[2]);
            RunResult naive = byName.get(benchmark[0] + "." + benchmark[3]);
            long bytesPerOp = benchmark[0].startsWith("Sse") ? events.sseBytes : events.jsonBytes;
            for (Map.Entry<String, RunResult> entry : byName.entrySet()) {
                if (!entry.getKey().startsWith(benchmark[0] + ".")) {
                    continue;
                }
                Result<?> wall = entry.getValue().getPrimaryResult();
                Result<?> cpu = cpu(entry.getValue());
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %s | %s |\n",
                        benchmark[1], entry.getKey().substring(benchmark[0].length() + 1), wall.getScore(),
                        wall.getScoreError(), cpu.getScore(), cpu.getScoreError(),
                        cpu.getScore() * bytesPerOp / BenchEvents.COUNT / 1e6, ratio(cpu, floor), ratio(cpu, naive)));
            }
        }
        md.append("\nTargets (issue 20): `transform` ÷ floor ≥ 0.5 and ÷ naive ≥ 3. Rates on a shared machine vary"
                + " from run to run; the ratios within one run are what counts.\n");
        return md.toString();
    }

    private static String ratio(Result<?> rate, RunResult base) {
        return base == null ? "" : String.format(Locale.ROOT, "%.2f", rate.getScore() / cpu(base).getScore());
    }

    private static Result<?> cpu(RunResult result) {
        return result.getSecondaryResults().get(CpuTimeProfiler.LABEL);
    }

    private static String machine() {
        String memory = "";
        try {
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format(Locale.ROOT, ", %.1f GiB memory",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException unknown) {
            // not Linux: the memory stays unnamed
        }
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> " (" + l.substring(l.indexOf(':') + 1).strip() + ")").findFirst().orElse("");
        } catch (IOException | RuntimeException unknown) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + cpu + memory + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
