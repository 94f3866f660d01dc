package org.wikiedits.bench;

import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/** Reader + search document, one operation per event. */
public class SearchDocumentBench extends BenchState {

    private NaiveCamelChain naive;

    @Setup
    public void start() {
        naive = new NaiveCamelChain();
    }

    @TearDown
    public void stop() {
        naive.close();
    }

    /** What the index route ({@code admitEvent}, {@code searchDocument}) and the Lambda do. */
    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void transform(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(SearchDocument.toJson(RecentChangeReader.read(new String(json, StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void naiveCamel(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(naive.searchDocument(json));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void jacksonScan(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(JacksonScan.tokens(json));
        }
    }
}
