package org.wikiedits.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.wikiedits.testing.Samples;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * The recorded samples with injected episodes (a page surge, a revert burst, a bot storm, a new-page
 * flood), each event a {@link RecentChange} with an id that names its episode and its place in it.
 */
final class InjectedEvents {

    /**
     * After the newest sample (2026-09-17T03:42:34Z), so that the episodes can follow the samples in a
     * recording: the detectors go by event time, and an event older than their window and baseline
     * (70 minutes) behind the newest one they have seen is not counted.
     */
    static final Instant START = Instant.parse("2026-09-17T05:00:00Z");

    private InjectedEvents() {
    }

    static RecentChange event(String id, Instant time, String type, String wiki, String title, String user, boolean bot,
                              Integer lengthOld, Integer lengthNew, String comment) {
        String server = wiki.replace("wiki", "") + ".wikipedia.org";
        return new RecentChange(id, time, server, time.getEpochSecond(), 1L, type, wiki, server, 0, title, user, bot, false,
                null, lengthOld, lengthNew, 1L, 2L, null, null, comment);
    }

    /**
     * One quiet edit two hours before {@code start}. Given first, it starts the detectors' watching: an episode
     * at {@code start} comes after their warm-up (default 60 minutes of event time before the window).
     */
    static List<RecentChange> watchedBefore(Instant start) {
        return List.of(event("quiet-1", start.minus(Duration.ofHours(2)), "edit", "enwiki", "Quiet page", "Reader", false, 10, 11, "typo"));
    }

    /** {@code edits} edits of one page, one every {@code every}, from {@code start}: ids surge-1, surge-2, ... */
    static List<RecentChange> pageSurge(String title, Instant start, int edits, Duration every) {
        List<RecentChange> events = new ArrayList<>();
        for (int n = 1; n <= edits; n++) {
            events.add(event("surge-" + n, start.plus(every.multipliedBy(n - 1)), "edit", "enwiki", title, "Reader" + n, false,
                    1000 + n, 1001 + n, "news"));
        }
        return events;
    }

    /**
     * An edit war: one edit adds text, then each edit undoes the one before (the length goes back and
     * forth; every other comment says so): {@code edits - 1} reverts. Ids war-1, war-2, ...
     */
    static List<RecentChange> revertBurst(String title, Instant start, int edits) {
        List<RecentChange> events = new ArrayList<>();
        for (int n = 1; n <= edits; n++) {
            boolean adds = n % 2 == 1;
            String comment = n == 1 ? "add a section" : n % 2 == 0 ? "Undid revision 12" + n + " by Someone (talk)" : "restore my section";
            events.add(event("war-" + n, start.plusSeconds(30L * (n - 1)), "edit", "enwiki", title, n % 2 == 0 ? "Patroller" : "Warrior",
                    false, adds ? 5000 : 5400, adds ? 5400 : 5000, comment));
        }
        return events;
    }

    /** One bot's edits on as many different pages, one every {@code every}: ids bot-1, bot-2, ... */
    static List<RecentChange> botStorm(String user, Instant start, int edits, Duration every) {
        List<RecentChange> events = new ArrayList<>();
        for (int n = 1; n <= edits; n++) {
            events.add(event("bot-" + n, start.plus(every.multipliedBy(n - 1)), "edit", "dewiki", "Artikel " + n, user, true,
                    100, 120, "Bot: links"));
        }
        return events;
    }

    /** Page creations on one wiki, one every {@code every}, each by another user: ids new-1, new-2, ... */
    static List<RecentChange> newPageFlood(String wiki, Instant start, int pages, Duration every) {
        List<RecentChange> events = new ArrayList<>();
        for (int n = 1; n <= pages; n++) {
            events.add(event("new-" + n, start.plus(every.multipliedBy(n - 1)), "new", wiki, "Spam page " + n, "Newcomer" + n,
                    false, null, 300, "Created page"));
        }
        return events;
    }

    /** The event as the stream sends it (the fields the pipeline reads), for tests that feed the routes. */
    static String json(RecentChange rc) {
        ObjectNode event = JSON.createObjectNode();
        event.putObject("meta").put("id", rc.eventId()).put("dt", rc.eventTime().toString()).put("domain", rc.serverName());
        event.put("id", rc.rcId()).put("type", rc.type()).put("namespace", rc.namespace()).put("title", rc.title())
                .put("comment", rc.comment()).put("timestamp", rc.timestamp()).put("user", rc.user()).put("bot", rc.bot())
                .put("minor", false).put("server_name", rc.serverName()).put("wiki", rc.wiki());
        if (rc.lengthNew() != null) {
            ObjectNode length = event.putObject("length").put("new", rc.lengthNew());
            if (rc.lengthOld() != null) {
                length.put("old", rc.lengthOld());
            }
        }
        return event.toString();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The recorded samples, read. */
    static List<RecentChange> samples() {
        List<RecentChange> events = new ArrayList<>();
        for (String line : Samples.lines()) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) {
                    events.add(rc);
                }
            } catch (MalformedEventException e) {
                // the samples hold a few unreadable lines on purpose; the pipeline dead-letters them
            }
        }
        return events;
    }

    /** All of them in event-time order (as a recording of the stream would hold them). */
    @SafeVarargs
    static List<RecentChange> inTimeOrder(List<RecentChange>... parts) {
        List<RecentChange> all = new ArrayList<>();
        for (List<RecentChange> part : parts) {
            all.addAll(part);
        }
        all.sort(Comparator.comparing(RecentChange::eventTime));
        return all;
    }
}
