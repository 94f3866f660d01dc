package org.wikiedits.bench;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;
import org.wikiedits.source.Utf8Lines;
import org.wikiedits.source.http.SseEvent;
import org.wikiedits.source.http.SseParser;

/**
 * The SSE frame parser: the stream's bytes, in the HTTP client's chunks, to events; one operation per
 * event. As SseHttpStream reads: {@link Utf8Lines} splits and decodes lines, {@link SseParser} makes events.
 */
public class SseFrameBench extends BenchState {

    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void transform(Blackhole blackhole) {
        Utf8Lines lines = new Utf8Lines();
        SseParser parser = new SseParser();
        for (ByteBuffer chunk : events.chunkBuffers()) {
            for (Utf8Lines.Line line : lines.feed(chunk)) {
                for (SseEvent event : parser.feedLine(line.text(), line.invalidUtf8())) {
                    blackhole.consume(event);
                }
            }
        }
    }

    /** The textbook reader: {@code BufferedReader.readLine}, data lines joined in a StringBuilder. */
    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void naiveLineReader(Blackhole blackhole) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new SequenceInputStream(Collections.enumeration(
                events.sseChunks.stream().map(ByteArrayInputStream::new).toList())), StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String id = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    blackhole.consume(new SseEvent(id, "message", data.substring(0, data.length() - 1)));
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5)).append('\n');
            } else if (line.startsWith("id:")) {
                id = line.substring(line.startsWith("id: ") ? 4 : 3);
            }
        }
    }

    /** The floor for a text protocol: decoding each chunk's UTF-8 once and finding its line ends. */
    @Benchmark
    @OperationsPerInvocation(BenchEvents.COUNT)
    public void decodeFloor(Blackhole blackhole) {
        for (byte[] chunk : events.sseChunks) {
            String text = new String(chunk, StandardCharsets.UTF_8);
            int lines = 0;
            for (int at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
                lines++;
            }
            blackhole.consume(lines);
        }
    }
}
