package org.wikiedits.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per second of CPU time the benchmark JVM used (its JIT and GC included), beside JMH's
 * operations per second of wall time. On a machine shared with other builds the benchmark thread
 * is often waiting for a core: wall-time rates then swing several-fold between iterations, while the
 * rate per CPU second, what "per core" means, holds much steadier.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    static final String LABEL = "·cpu";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "operations per CPU second of the benchmark JVM";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        double operations = result.getPrimaryResult().getScore() * wallSeconds; // the score is per wall second
        return List.of(new ScalarResult(LABEL, cpuSeconds > 0 ? operations / cpuSeconds : Double.NaN,
                "ops/cpu-s", AggregationPolicy.AVG));
    }
}
