package org.wikiedits.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Real-shaped recentchange events for the integration tests. */
public final class TestEvents {

    private TestEvents() {
    }

    /** {@code count} edits with distinct ids, spread over three event hours from {@code start}, non-ASCII text included. */
    public static List<String> edits(int count, Instant start) {
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant dt = start.plusSeconds((long) i * 3 * 3600 / Math.max(1, count));
            events.add("""
                    {"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri":"https://de.wikipedia.org/wiki/Z%%C3%%BCrich","request_id":"%s",\
                    "id":"%s","domain":"de.wikipedia.org","stream":"mediawiki.recentchange","dt":"%s","topic":"eqiad.mediawiki.recentchange",\
                    "partition":0,"offset":%d},"id":%d,"type":"edit","namespace":0,"title":"Zürich, \\"Altstadt\\" %d","comment":"fix ☃ typo",\
                    "timestamp":%d,"user":"Tester","bot":false,"minor":true,"patrolled":true,"length":{"old":100,"new":%d},\
                    "revision":{"old":%d,"new":%d},"server_url":"https://de.wikipedia.org","server_name":"de.wikipedia.org",\
                    "server_script_path":"/w","wiki":"dewiki","parsedcomment":"fix ☃ typo"}"""
                    .formatted(UUID.randomUUID(), UUID.randomUUID(), dt, 1000 + i, 5000 + i, i, dt.getEpochSecond(), 100 + i,
                            9000 + i, 9001 + i));
        }
        return events;
    }

    /** A canary, which the pipeline drops before Kinesis. */
    public static String canary(Instant dt) {
        return "{\"meta\":{\"id\":\"" + UUID.randomUUID() + "\",\"dt\":\"" + dt + "\",\"domain\":\"canary\"},\"type\":\"edit\"}";
    }

    public static Path write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, lines);
    }
}
