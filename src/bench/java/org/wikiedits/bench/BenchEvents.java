package org.wikiedits.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The benchmarks' input: the recorded samples (else the test fixtures), only those that read as
 * edits (no canaries, no malformed lines), replayed in a loop to {@link #COUNT} events, each with a
 * unique {@code meta.id} (as a backfill brings them). Built once per benchmark fork.
 */
final class BenchEvents {

    /** Events per benchmark operation: a few thousand, so a loop over them is past any cache of one event. */
    static final int COUNT = 4096;
    /** The HTTP client hands the SSE body on in chunks of about this size. */
    static final int CHUNK_BYTES = 16 * 1024;

    private static volatile BenchEvents instance;

    /** Each event's JSON as UTF-8, as the SSE {@code data:} carries it. */
    final byte[][] json;
    /** The same events as the SSE stream sends them ({@code event:}, {@code id:}, {@code data:}, blank line), in chunks. */
    final List<byte[]> sseChunks;
    final long jsonBytes;
    final long sseBytes;
    final String source;

    private BenchEvents() {
        List<String> lines = Samples.linesIfPresent();
        String from = "the recorded samples (" + lines.size() + " lines)";
        if (lines.isEmpty()) {
            lines = Fixtures.eventNames().stream().map(Fixtures::event).toList();
            from = "the test fixtures (" + lines.size() + " events; no samples at " + Samples.FOLDER + ")";
        }
        List<String> usable = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) {
                    usable.add(line);
                    ids.add(rc.eventId());
                }
            } catch (MalformedEventException skipped) {
                // a benchmark of the transformations measures events that transform
            }
        }
        json = new byte[COUNT][];
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        long total = 0;
        for (int i = 0; i < COUNT; i++) {
            int k = i % usable.size();
            String id = ids.get(k);
            String unique = usable.get(k).replaceFirst("\"" + java.util.regex.Pattern.quote(id) + "\"",
                    Matcher.quoteReplacement("\"" + id + "-" + (i / usable.size()) + "\""));
            json[i] = unique.getBytes(StandardCharsets.UTF_8);
            total += json[i].length;
            stream.writeBytes(("event: message\nid: [{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,"
                    + "\"timestamp\":" + (1785857069724L + i) + "}]\ndata: ").getBytes(StandardCharsets.UTF_8));
            stream.writeBytes(json[i]);
            stream.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
        }
        jsonBytes = total;
        byte[] all = stream.toByteArray();
        sseBytes = all.length;
        sseChunks = new ArrayList<>();
        for (int at = 0; at < all.length; at += CHUNK_BYTES) {
            sseChunks.add(java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + CHUNK_BYTES)));
        }
        source = from + ", " + usable.size() + " usable, replayed to " + COUNT + " unique events";
    }

    static BenchEvents get() {
        BenchEvents events = instance;
        if (events == null) {
            synchronized (BenchEvents.class) {
                if (instance == null) {
                    instance = new BenchEvents();
                }
                events = instance;
            }
        }
        return events;
    }

    /** A fresh read-only view of each chunk, as the HTTP client hands them on. */
    List<ByteBuffer> chunkBuffers() {
        List<ByteBuffer> buffers = new ArrayList<>(sseChunks.size());
        for (byte[] chunk : sseChunks) {
            buffers.add(ByteBuffer.wrap(chunk));
        }
        return buffers;
    }
}
