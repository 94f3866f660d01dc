package org.wikiedits.source.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic synthetic {@code recentchange} events, shaped like the real ones (the 2024+ schema):
 * all five types (edit, new, log, categorize, external), many wikis, titles and users in many scripts
 * (CJK, Arabic, Hebrew, Cyrillic, emoji), bots and humans, temporary accounts and IPs, comments that
 * sometimes hold commas, quotes, tabs and line breaks, log events whose {@code log_params} is an
 * array, an object or a string, and now and then a canary ({@code meta.domain} "canary").
 *
 * <p>Event {@code n} of a run is a pure function of the run and {@code n} (everything is drawn from
 * {@code new Random(SEED + n)}) except {@code meta.dt} and {@code timestamp}, which are the time
 * given; {@code meta.id} is {@link #eventId(String, long)}. So replaying from a checkpoint (which keeps
 * the run) reproduces the same {@code meta.id}s, which is what lets the sinks drop the duplicates, while
 * another run's events are new events. No framework: tests use it too.
 */
public final class SyntheticEvents {

    /** Fixed, so that every run produces the same events. */
    public static final long SEED = 0x5EED_2026_0001L;

    /** About one event in this many is a canary. */
    static final int CANARY_ONE_IN = 250;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Wiki(String name, String domain, String categoryPrefix, String userPrefix, List<String> titles,
                        boolean patrolled) {
    }

    private static final List<Wiki> WIKIS = List.of(
            new Wiki("enwiki", "en.wikipedia.org", "Category:", "User:", List.of(
                    "Albert Einstein", "List of emoji 😀 in popular culture", "Rock 'n' roll", "The \"Quoted\" Title",
                    "São Paulo", "2026 in science", "Hans Moldenhauer (musicologist)", "C++", "AT&T", "100% (album)"), true),
            new Wiki("dewiki", "de.wikipedia.org", "Kategorie:", "Benutzer:", List.of(
                    "Berlin", "Straße des 17. Juni", "Müller-Lüdenscheidt", "Goethe, Johann Wolfgang von", "Köln Hbf"), true),
            new Wiki("wikidatawiki", "www.wikidata.org", "Category:", "User:", List.of(
                    "Q42", "Q64", "Q1490", "Q2013", "Property:P31", "Lexeme:L7"), true),
            new Wiki("commonswiki", "commons.wikimedia.org", "Category:", "User:", List.of(
                    "File:Sunset 🌅 over Mount Fuji.jpg", "File:Роспись по сухой штукатурке.JPG",
                    "File:Coins of Rome, Trajan (2 of 2).jpg", "File:東京タワー 2026.png"), true),
            new Wiki("jawiki", "ja.wikipedia.org", "Category:", "利用者:", List.of(
                    "東京都", "日本の城一覧", "ポケットモンスター", "源氏物語", "🍣の歴史"), false),
            new Wiki("zhwiki", "zh.wikipedia.org", "Category:", "User:", List.of(
                    "北京市", "长城", "中華民國", "粵語"), false),
            new Wiki("arwiki", "ar.wikipedia.org", "تصنيف:", "مستخدم:", List.of(
                    "القاهرة", "اللغة العربية", "ابن سينا", "كرة القدم"), true),
            new Wiki("hewiki", "he.wikipedia.org", "קטגוריה:", "משתמש:", List.of(
                    "ירושלים", "עברית", "תל אביב-יפו"), false),
            new Wiki("ruwiki", "ru.wikipedia.org", "Категория:", "Участник:", List.of(
                    "Москва", "Толстой, Лев Николаевич", "Санкт-Петербург", "«Война и мир»"), true),
            new Wiki("ukwiki", "uk.wikipedia.org", "Категорія:", "Користувач:", List.of(
                    "Київ", "Тарас Шевченко", "Їжак"), false),
            new Wiki("frwiki", "fr.wikipedia.org", "Catégorie:", "Utilisateur:", List.of(
                    "Paris", "Élysée", "Tour Eiffel", "L'Étranger"), true),
            new Wiki("eswiki", "es.wikipedia.org", "Categoría:", "Usuario:", List.of(
                    "España", "Gabriel García Márquez", "Año 2026"), true),
            new Wiki("enwiktionary", "en.wiktionary.org", "Category:", "User:", List.of(
                    "naïve", "🙂", "čokoláda", "ключ", "水"), false));

    private static final List<String> HUMANS = List.of(
            "Alice Example", "Jürgen Müller", "山田太郎", "محمد علي", "Иван Петров", "O'Connor", "Zoë, the editor",
            "~2026-50211-05", "~2026-12345-67", "203.0.113.7", "2001:db8::1", "😀 Smiley", "משתמש לדוגמה");
    private static final List<String> BOTS = List.of(
            "ClueBot NG", "InternetArchiveBot", "Emijrpbot", "SuccuBot", "KrBot", "Citation bot", "QBA-bot");
    private static final List<String> COMMENTS = List.of(
            "", "/* Early life */ ce", "fix typo, add ref, update infobox",
            "He said \"hello\", then left", "two lines\nof comment", "CR and LF,\r\n\"quoted\", and a comma",
            "tab\tseparated", "quote ' and \\ backslash", "emoji 🎉 added", "/* wbsetclaim-create:2||1 */ [[Property:P31]]: [[Q5]]",
            "Reverted edits by [[Special:Contributions/203.0.113.7|203.0.113.7]] ([[User talk:203.0.113.7|talk]]) to last version by Alice",
            "Kategorie ergänzt", "تصحيح إملائي", "правка, оформление", "出典を追加", "תיקון קישור",
            "BOT - Adding [[Commons:Structured data|structured data]]: exposure time, f-number, focal length");

    private SyntheticEvents() {
    }

    /** The {@code meta.id} of event {@code n} of the unnamed run (what tests write into recordings). */
    public static UUID eventId(long n) {
        return eventId("", n);
    }

    /**
     * The {@code meta.id} of event {@code n} of {@code run}: a name-based UUID, the same whenever that run
     * is resumed. The unnamed run {@code ""} has the ids every run had before runs were named.
     */
    public static UUID eventId(String run, long n) {
        return UUID.nameUUIDFromBytes(name(run, "event", n).getBytes(StandardCharsets.UTF_8));
    }

    private static String name(String run, String kind, long n) {
        return "wikiedits-generator/" + (run.isEmpty() ? "" : run + "/") + kind + "/" + n;
    }

    /** Event {@code n} (from 1) of the unnamed run as JSON text, with {@code meta.dt} = {@code dt} (truncated to milliseconds). */
    public static String event(long n, Instant dt) {
        return event("", n, dt);
    }

    /** Event {@code n} (from 1) of {@code run} as JSON text, with {@code meta.dt} = {@code dt} (truncated to milliseconds). */
    public static String event(String run, long n, Instant dt) {
        try {
            return JSON.writeValueAsString(eventNode(run, n, dt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a generated event", e);
        }
    }

    static ObjectNode eventNode(String run, long n, Instant dt) {
        Random random = new Random(SEED + n);
        Instant time = dt.truncatedTo(ChronoUnit.MILLIS);
        Wiki wiki = pick(random, WIKIS);
        String type = type(random);
        boolean bot = random.nextInt(100) < 25;
        String user = bot ? pick(random, BOTS) : pick(random, HUMANS);
        String comment = pick(random, COMMENTS);
        long rcId = 1_000_000L + n * 7 + random.nextInt(7);
        int namespace;
        String title;
        switch (type) {
            case "categorize" -> {
                namespace = 14;
                title = wiki.categoryPrefix() + pick(random, wiki.titles()).replaceFirst("^[^:]+:", "");
                comment = "[[:" + pick(random, wiki.titles()) + "]] " + (random.nextBoolean() ? "added to" : "removed from") + " category";
            }
            case "log" -> {
                boolean userPage = random.nextInt(3) == 0;
                namespace = userPage ? 2 : 0;
                title = userPage ? wiki.userPrefix() + pick(random, HUMANS) : pick(random, wiki.titles());
            }
            default -> {
                title = pick(random, wiki.titles());
                namespace = title.startsWith("File:") ? 6 : title.startsWith("Property:") ? 120 : title.startsWith("Lexeme:") ? 146 : 0;
            }
        }
        boolean canary = random.nextInt(CANARY_ONE_IN) == 0;
        String titleUrl = "https://" + wiki.domain() + "/wiki/" + URLEncoder.encode(title.replace(' ', '_'), StandardCharsets.UTF_8)
                .replace("%2F", "/").replace("%3A", ":");

        ObjectNode event = NODES.objectNode();
        event.put("$schema", "/mediawiki/recentchange/1.0.0");
        ObjectNode meta = event.putObject("meta");
        meta.put("uri", titleUrl);
        meta.put("request_id", UUID.nameUUIDFromBytes(name(run, "request", n).getBytes(StandardCharsets.UTF_8)).toString());
        meta.put("id", eventId(run, n).toString());
        meta.put("domain", canary ? "canary" : wiki.domain());
        meta.put("stream", "mediawiki.recentchange");
        meta.put("dt", time.toString());
        meta.put("topic", "eqiad.mediawiki.recentchange");
        meta.put("partition", 0);
        meta.put("offset", 6_000_000_000L + n);
        event.put("id", rcId);
        event.put("type", type);
        event.put("namespace", namespace);
        event.put("title", title);
        event.put("title_url", titleUrl);
        event.put("comment", comment);
        event.put("timestamp", time.getEpochSecond());
        event.put("user", user);
        event.put("bot", bot);
        long revision = 1_200_000_000L + n * 3;
        switch (type) {
            case "edit" -> {
                long oldRevision = revision - 1 - random.nextInt(100_000);
                event.put("notify_url", "https://" + wiki.domain() + "/w/index.php?diff=" + revision + "&oldid=" + oldRevision + "&rcid=" + rcId);
                event.put("minor", random.nextInt(5) == 0);
                putPatrolled(event, wiki, random);
                int oldLength = random.nextInt(200_000);
                ObjectNode length = event.putObject("length");
                length.put("old", oldLength);
                length.put("new", Math.max(0, oldLength + random.nextInt(4001) - 2000));
                ObjectNode revisions = event.putObject("revision");
                revisions.put("old", oldRevision);
                revisions.put("new", revision);
            }
            case "new" -> {
                event.put("notify_url", "https://" + wiki.domain() + "/w/index.php?oldid=" + revision + "&rcid=" + rcId);
                event.put("minor", false);
                putPatrolled(event, wiki, random);
                event.putObject("length").put("new", random.nextInt(20_000));
                event.putObject("revision").put("new", revision);
            }
            case "categorize" -> event.put("notify_url",
                    "https://" + wiki.domain() + "/w/index.php?diff=" + revision + "&oldid=" + (revision - 1) + "&rcid=" + rcId);
            case "log" -> putLog(event, random, title, user, comment, n);
            case "external" -> {
                // a Wikidata change shown on a client wiki: no revision, no length
                event.put("comment", "/* wbsetclaim-update:2||1 */ [[Property:P18]]: " + pick(random, WIKIS.get(3).titles()));
            }
            default -> throw new IllegalStateException("unknown type " + type);
        }
        event.put("server_url", "https://" + wiki.domain());
        event.put("server_name", wiki.domain());
        event.put("server_script_path", "/w");
        event.put("wiki", wiki.name());
        event.put("parsedcomment", event.path("comment").asText().replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;"));
        return event;
    }

    private static String type(Random random) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return "edit";
        }
        if (roll < 75) {
            return "categorize";
        }
        if (roll < 87) {
            return "log";
        }
        return roll < 95 ? "new" : "external";
    }

    private static void putPatrolled(ObjectNode event, Wiki wiki, Random random) {
        if (wiki.patrolled()) {
            event.put("patrolled", random.nextBoolean());
        }
    }

    /** log_params really come as an array, an object or a string, depending on the log type. */
    private static void putLog(ObjectNode event, Random random, String title, String user, String comment, long n) {
        event.put("log_id", 100_000_000L + n);
        switch (random.nextInt(6)) {
            case 0 -> {
                putLogType(event, "delete", "delete");
                event.set("log_params", NODES.arrayNode());
                event.put("log_action_comment", "deleted \"[[" + title + "]]\": " + comment);
            }
            case 1 -> {
                putLogType(event, "move", "move");
                ObjectNode params = event.putObject("log_params");
                params.put("target", title + " (2)");
                params.put("noredir", "0");
                event.put("log_action_comment", "moved [[" + title + "]] to [[" + title + " (2)]]");
            }
            case 2 -> {
                putLogType(event, "block", "block");
                ObjectNode params = event.putObject("log_params");
                params.put("duration", "1 week");
                params.put("flags", "nocreate,noemail");
                params.put("sitewide", true);
                params.put("blockId", 20_000_000L + n);
                event.put("log_action_comment", "blocked [[" + title + "]] with an expiration time of 1 week");
            }
            case 3 -> {
                putLogType(event, "upload", "upload");
                ObjectNode params = event.putObject("log_params");
                params.put("img_sha1", Long.toHexString(random.nextLong()));
                params.put("img_timestamp", "20260101000000");
                event.put("log_action_comment", "uploaded \"[[" + title + "]]\"");
            }
            case 4 -> {
                putLogType(event, "newusers", "create");
                ArrayNode params = event.putArray("log_params");
                params.add("userid");
                params.add(random.nextInt(1_000_000));
                event.put("log_action_comment", "User account " + user + " was created");
            }
            default -> {
                putLogType(event, "protect", "protect");
                event.put("log_params", "[edit=autoconfirmed] (expires 00:00, 1 January 2027 (UTC))");
                event.put("log_action_comment", "protected \"[[" + title + "]]\" [edit=autoconfirmed]");
            }
        }
    }

    private static void putLogType(ObjectNode event, String logType, String logAction) {
        event.put("log_type", logType);
        event.put("log_action", logAction);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
