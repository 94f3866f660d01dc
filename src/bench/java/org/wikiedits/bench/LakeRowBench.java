package org.wikiedits.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.wikiedits.transform.CsvRow;
import org.wikiedits.transform.RecentChangeReader;

/** Reader + lake row, one operation per event (each invocation transforms all {@link BenchEvents#COUNT}). */
public class LakeRowBench extends BenchState {

    private NaiveCamelChain naive;
    private RouteCsv routeCsv;

    @Setup
    public void start() {
        naive = new NaiveCamelChain();
        routeCsv = new RouteCsv();
    }

    @TearDown
    public void stop() {
        naive.close();
        routeCsv.close();
    }

    /** What the Firehose Lambda does: read, then {@link CsvRow#of}. */
    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void transform(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(CsvRow.of(RecentChangeReader.read(new String(json, StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What the lake route does: read (admitEvent), {@code lakeRow} ({@link CsvRow#namedValues}), camel-csv's {@code lakeCsv}. */
    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void route(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(routeCsv.marshal(List.of(CsvRow.namedValues(
                    RecentChangeReader.read(new String(json, StandardCharsets.UTF_8))))));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void naiveCamel(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(naive.lakeRow(json));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void jacksonScan(Blackhole blackhole) throws Exception {
        for (byte[] json : events.json) {
            blackhole.consume(JacksonScan.tokens(json));
        }
    }

    /** The route's {@code lakeCsv} data format, as WikieditsBeans binds it. */
    static final class RouteCsv implements AutoCloseable {
        private final org.apache.camel.CamelContext context = new org.apache.camel.impl.DefaultCamelContext();
        private final CsvDataFormat format = new CsvDataFormat(CsvRow.FORMAT);
        private final org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);

        RouteCsv() {
            org.apache.camel.support.service.ServiceHelper.startService(context, format);
        }

        byte[] marshal(Object body) throws Exception {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
            format.marshal(exchange, body, out);
            return out.toByteArray();
        }

        @Override
        public void close() {
            org.apache.camel.support.service.ServiceHelper.stopService(format, context);
        }
    }
}
