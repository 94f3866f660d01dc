package org.wikiedits.sink.index;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/** Events for the index tests, shaped like the live stream's (field names, nesting, optional fields). */
final class TestEvents {

    private TestEvents() {
    }

    /** Real-shaped events covering the awkward corners: unicode, quotes, absent fields, odd log_params. */
    static List<RecentChange> builtIn() throws MalformedEventException {
        return List.of(
                RecentChangeReader.read(edit(1)),
                RecentChangeReader.read("""
                        {"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri":"https://de.wikipedia.org/wiki/K%C3%B6ln","id":"7b0a6f0e-1c1e-4b5e-9d64-0f1a2b3c4d5e","domain":"de.wikipedia.org","stream":"mediawiki.recentchange","dt":"2026-08-04T15:24:30.101Z"},"id":1790001,"type":"new","namespace":0,"title":"Köln \\"Altstadt\\"","comment":"neu angelegt\\nmit Zeilenumbruch","timestamp":1785857070,"user":"Beispiel-Nutzer","bot":false,"minor":false,"patrolled":true,"length":{"new":2048},"revision":{"new":250000001},"server_name":"de.wikipedia.org","wiki":"dewiki"}"""),
                RecentChangeReader.read("""
                        {"meta":{"id":"0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a","domain":"commons.wikimedia.org","dt":"2026-08-04T15:24:31Z"},"id":2990002,"type":"log","namespace":6,"title":"File:Example.jpg","timestamp":1785857071,"user":"UploadBot","bot":true,"log_id":5550001,"log_type":"upload","log_action":"overwrite","log_params":{"img_sha1":"abc","img_timestamp":"20260804152431"},"log_action_comment":"uploaded a new version","comment":"","server_name":"commons.wikimedia.org","wiki":"commonswiki"}"""),
                RecentChangeReader.read("""
                        {"meta":{"id":"5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b","domain":"www.wikidata.org","dt":"2026-08-04T15:24:32.5Z"},"type":"categorize","namespace":14,"title":"Category:Living people","timestamp":1785857072,"user":"127.0.0.1","bot":false,"log_params":"","comment":"[[:Q1]] added to category","server_name":"www.wikidata.org","wiki":"wikidatawiki"}"""));
    }

    static List<RecentChange> edits(int count) throws MalformedEventException {
        List<RecentChange> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(RecentChangeReader.read(edit(1000 + i)));
        }
        return events;
    }

    /** An edit shaped like the live stream's, numbered so that its meta.id is stable. */
    static String edit(int n) {
        String id = UUID.nameUUIDFromBytes(("wikiedits-test-" + n).getBytes(StandardCharsets.UTF_8)).toString();
        return "{\"$schema\":\"/mediawiki/recentchange/1.0.0\",\"meta\":{\"uri\":\"https://en.wikipedia.org/wiki/Page_" + n
                + "\",\"request_id\":\"" + UUID.nameUUIDFromBytes(("request-" + n).getBytes(StandardCharsets.UTF_8))
                + "\",\"id\":\"" + id + "\",\"domain\":\"en.wikipedia.org\",\"stream\":\"mediawiki.recentchange\","
                + "\"dt\":\"2026-08-04T15:2" + (n % 10) + ":00.000Z\",\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,"
                + "\"offset\":" + (6387234775L + n) + "},\"id\":" + (1700000000L + n) + ",\"type\":\"edit\",\"namespace\":0,"
                + "\"title\":\"Page " + n + "\",\"comment\":\"copyedit\",\"timestamp\":1785857069,\"user\":\"Editor" + (n % 7)
                + "\",\"bot\":false,\"minor\":true,\"patrolled\":false,\"length\":{\"old\":" + (1000 + n) + ",\"new\":" + (1010 + n)
                + "},\"revision\":{\"old\":" + (90000000L + n) + ",\"new\":" + (90000100L + n)
                + "},\"server_url\":\"https://en.wikipedia.org\",\"server_name\":\"en.wikipedia.org\",\"server_script_path\":\"/w\","
                + "\"wiki\":\"enwiki\",\"parsedcomment\":\"copyedit\"}";
    }
}
