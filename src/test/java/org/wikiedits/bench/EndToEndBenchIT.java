package org.wikiedits.bench;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.bench.EndToEndBench.Result;
import org.wikiedits.bench.EndToEndBench.Run;
import org.wikiedits.bench.RawBulk.Rate;

/**
 * {@code bench/e2e.sh} with a small N, so the command keeps working: the report is written and its numbers are
 * sane (every event once in the lake and the index, rates above zero, latencies seen for every sampled event).
 * The targets are judged on full runs only (docs/performance.md), not here.
 */
@Timeout(value = 8, unit = MINUTES)
class EndToEndBenchIT {

    @TempDir
    Path work;

    @Test
    void theBenchmarkReportsEveryRunWithEveryEventOnceInEachSink() throws Exception {
        Path report = work.resolve("e2e-report.md");
        List<String> args = new ArrayList<>(List.of("--events", "10000", "--live-rate", "300", "--live-seconds", "5",
                "--bulk-sizes", "500,2000", "--bulk-threads", "1,2", "--bulk-documents", "4000",
                "--set", "wikiedits.lake.roll-seconds=2", "--report", report.toString(), "--work", work.toString()));

        Result result = EndToEndBench.run(EndToEndBench.Options.parse(args.toArray(String[]::new)));

        assertThat(report).isRegularFile();
        assertThat(Files.readString(report)).contains("## Limits", "## Runs of the jar", "## Targets", "lake only", "index only",
                "live pace", "cores");
        assertThat(result.bulk()).hasSize(4).allSatisfy(rate -> assertThat(rate.docsPerSecond()).isPositive());
        assertThat(result.bulk()).extracting(Rate::documents).containsOnly(4000);
        assertThat(result.drainPerSecond()).isPositive();
        assertThat(result.drainedEvents()).isGreaterThanOrEqualTo(10_000);
        assertThat(result.runs()).extracting(Run::name).containsExactly("lake + index", "lake only", "index only");
        List<Run> all = new ArrayList<>(result.runs());
        all.add(result.live());
        for (Run run : all) {
            assertThat(run.sustainedPerSecond()).as(run.name()).isPositive();
            assertThat(run.peakRssAnonKb()).as(run.name()).isPositive().isLessThanOrEqualTo(run.peakRssKb());
            assertThat(run.cpu().totalSeconds()).as(run.name()).isPositive();
            if (run.sinks().contains("index")) {
                assertThat(run.indexDocuments()).as(run.name() + ": documents in the index").isEqualTo(run.expected());
                assertThat(run.searchable().found()).as(run.name()).isEqualTo(run.searchable().sampled()).isPositive();
                assertThat(run.searchable().p50Millis()).isLessThanOrEqualTo(run.searchable().p99Millis());
                assertThat(run.cpu().nodeSeconds()).as(run.name() + ": the node's CPU").isPositive();
            }
            if (run.sinks().contains("lake")) {
                assertThat(run.lakeRows()).as(run.name() + ": lake rows").isEqualTo(run.expected());
                assertThat(run.lakeDistinct()).as(run.name() + ": distinct lake ids").isEqualTo(run.expected());
                assertThat(run.lakeVisible().found()).as(run.name()).isEqualTo(run.lakeVisible().sampled()).isPositive();
            }
        }
        assertThat(result.run("lake only").cpu().nodeSeconds()).as("no node without the index").isZero();
        assertThat(result.live().events()).isEqualTo(1500);
    }
}
