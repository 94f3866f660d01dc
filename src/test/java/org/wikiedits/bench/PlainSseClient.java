package org.wikiedits.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The plainest reader of an SSE stream: one request, the body read line by line as UTF-8, every {@code data:}
 * line counted, nothing parsed. Its rate is what the source side can give at most on this machine.
 */
final class PlainSseClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PlainSseClient() {
    }

    /** Reads {@code events} events from {@code url} and returns how long it took, in nanoseconds. */
    static long drain(String url, int events) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 64 * 1024)) {
            int seen = 0;
            String line;
            while (seen < events && (line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    seen++;
                }
            }
            if (seen < events) {
                throw new IOException("the stream ended after " + seen + " of " + events + " events");
            }
        }
        return System.nanoTime() - start;
    }
}
