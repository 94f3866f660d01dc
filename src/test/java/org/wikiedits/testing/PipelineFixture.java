package org.wikiedits.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.wikiedits.query.LakeSql;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * A stream for end-to-end tests, and what the sinks must hold afterwards: generated events over
 * several event hours, the real recorded samples when {@code ../shared/samples} exists, repeated
 * events, canaries and malformed lines; plus readers for the lake (DuckDB) and the index.
 */
public final class PipelineFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static final List<String> MALFORMED = List.of(
            "{\"this is\": not json",
            "[1, 2, 3]",
            "{\"meta\": {\"dt\": \"2026-11-25T08:00:00Z\"}, \"type\": \"edit\"}",
            "{\"meta\": {\"id\": \"b3c1a1a0-0000-4000-8000-000000000001\", \"dt\": \"yesterday\"}}");

    private final List<String> lines;

    private PipelineFixture(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    /** {@code generated} synthetic events, the samples if present, every 97th line repeated later, the malformed lines spread out. */
    public static PipelineFixture stream(int generated) throws IOException {
        List<String> events = new ArrayList<>();
        Instant start = Instant.parse("2026-11-25T06:00:00Z");
        for (int n = 1; n <= generated; n++) {
            events.add(SyntheticEvents.event(n, start.plusSeconds(7L * n)));
        }
        events.addAll(Samples.linesIfPresent());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            lines.add(events.get(i));
            if (i % 97 == 50) {
                lines.add(events.get(i - 40)); // a replay of an earlier event
            }
            if (i % (events.size() / MALFORMED.size() + 1) == 7) {
                lines.add(MALFORMED.get(i / (events.size() / MALFORMED.size() + 1)));
            }
        }
        lines.add(MALFORMED.get(0)); // the stream ends in a dead letter: the checkpoint must still reach it
        return new PipelineFixture(lines);
    }

    /** The lines the stream serves, in order. */
    public List<String> lines() {
        return lines;
    }

    /** The {@code meta.id}s that must land once each: every readable, non-canary event. */
    public Set<String> expectedIds() {
        return expectedIds(lines);
    }

    /** The {@code meta.id}s of every readable, non-canary event among {@code lines}, in order. */
    public static Set<String> expectedIds(List<String> lines) {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : lines) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) {
                    ids.add(rc.eventId());
                }
            } catch (MalformedEventException e) {
                // a dead letter
            }
        }
        return ids;
    }

    public long canaries() {
        return lines.stream().filter(line -> line.contains("\"domain\":\"canary\"")).count();
    }

    /** The lines that must end up in the dead-letter store, in order. */
    public List<String> malformedLines() {
        return lines.stream().filter(MALFORMED::contains).toList();
    }

    /** Every {@code event_id} in the lake's committed files, with repeats, read with DuckDB over the hive-partitioned CSV. */
    public static List<String> lakeEventIds(Path dataDir) throws SQLException {
        Path lake = dataDir.resolve("lake");
        List<String> ids = new ArrayList<>();
        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            if (!LakeSql.hasLakeFiles(duckDb, lake)) {
                return ids;
            }
            try (Statement statement = duckDb.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT event_id FROM " + LakeSql.VIEW)) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /** Every {@code _id} in the index (an empty list when the index does not exist yet), paged with search_after. */
    public static List<String> indexIds(String openSearchUrl) throws IOException, InterruptedException {
        refresh(openSearchUrl);
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            String query = "{\"size\":5000,\"_source\":false,\"sort\":[{\"event_id\":\"asc\"}]"
                    + (after == null ? "" : ",\"search_after\":[" + JSON.writeValueAsString(after) + "]") + "}";
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(openSearchUrl + "/wikiedits/_search"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return ids;
            }
            JsonNode hits = JSON.readTree(response.body()).path("hits").path("hits");
            if (hits.isEmpty()) {
                return ids;
            }
            hits.forEach(hit -> ids.add(hit.path("_id").asText()));
            after = hits.get(hits.size() - 1).path("sort").get(0).asText();
        }
    }

    private static void refresh(String openSearchUrl) throws IOException, InterruptedException {
        HTTP.send(HttpRequest.newBuilder(URI.create(openSearchUrl + "/wikiedits/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The dead letters stored so far, as parsed JSON lines. */
    public static List<JsonNode> deadLetters(Path dataDir) throws IOException {
        Path folder = dataDir.resolve("dead-letter");
        List<JsonNode> letters = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return letters;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    letters.add(JSON.readTree(line));
                }
            }
        }
        return letters;
    }

    /** The saved checkpoint's last event id, or null. */
    public static String checkpoint(Path dataDir) throws IOException {
        Path file = dataDir.resolve("state").resolve("checkpoint.json");
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()).path("last_event_id").asText(null) : null;
    }
}
