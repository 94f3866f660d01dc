package org.wikiedits.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reader as it was before the streaming one (a {@link JsonNode} tree per event), frozen here as
 * the reference {@link StreamingReaderEquivalenceTest} compares {@link RecentChangeReader} with. Test
 * code only: the project has one reader. Also the old serialisations of the lake row and the document.
 */
final class TreeRecentChangeReader {

    /** {@code FAIL_ON_TRAILING_TOKENS}: {@code {"a":1} garbage} or two objects on a line are not one event. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * ISO-8601 date-time with a mandatory offset ({@code Z}, {@code +00:00}, {@code +0000} or
     * {@code +00}), seconds and 0-9 fraction digits optional. Wikimedia writes
     * {@code 2026-08-04T15:24:29.724Z} today and wrote {@code 2018-03-07T16:59:15+00:00} in 2018.
     */
    private static final DateTimeFormatter META_DT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHmm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** Partitions are named dt=YYYY-MM-DD: a four-digit year is part of the lake layout. */
    private static final int MIN_YEAR = 0;
    private static final int MAX_YEAR = 9999;

    /** OpenSearch rejects an {@code _id} longer than 512 bytes. */
    private static final int MAX_ID_BYTES = 512;

    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?[0-9]{1,19}");

    private TreeRecentChangeReader() {
    }

    static RecentChange read(String json) throws MalformedEventException {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty event");
        }
        JsonNode root = parse(json.charAt(0) == '\uFEFF' ? json.substring(1) : json);
        if (!root.isObject()) {
            throw new MalformedEventException("not a JSON object but " + kind(root));
        }
        JsonNode meta = root.path("meta");
        String eventId = eventId(meta);
        Instant eventTime = eventTime(meta);
        String domain = text(meta, "domain");
        String serverName = text(root, "server_name");
        JsonNode length = root.path("length");
        JsonNode revision = root.path("revision");
        return new RecentChange(
                eventId,
                eventTime,
                domain,
                longValue(root, "timestamp"),
                longValue(root, "id"),
                text(root, "type"),
                text(root, "wiki"),
                serverName == null || serverName.isBlank() ? domain : serverName,
                intValue(root, "namespace"),
                text(root, "title"),
                text(root, "user"),
                bool(root, "bot"),
                bool(root, "minor"),
                bool(root, "patrolled"),
                intValue(length, "old"),
                intValue(length, "new"),
                longValue(revision, "old"),
                longValue(revision, "new"),
                text(root, "log_type"),
                text(root, "log_action"),
                text(root, "comment"));
    }

    private static JsonNode parse(String json) throws MalformedEventException {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new MalformedEventException("empty event");
            }
            return root;
        } catch (JsonEOFException e) {
            throw new MalformedEventException("truncated JSON: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String eventId(JsonNode meta) throws MalformedEventException {
        JsonNode id = meta.get("id");
        if (id == null || id.isNull() || id.isTextual() && id.textValue().isBlank()) {
            throw new MalformedEventException("missing meta.id");
        }
        if (!id.isTextual()) {
            throw new MalformedEventException("meta.id is not a string but " + kind(id));
        }
        String value = id.textValue();
        // the id is the index _id and the lake's first column: it must survive both unchanged
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new MalformedEventException("meta.id is longer than " + MAX_ID_BYTES + " bytes");
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) || Character.isSurrogate((char) c))) {
            throw new MalformedEventException("meta.id contains control characters or surrogates: " + abbreviate(value));
        }
        return value;
    }

    private static Instant eventTime(JsonNode meta) throws MalformedEventException {
        JsonNode dt = meta.get("dt");
        if (dt == null || dt.isNull()) {
            throw new MalformedEventException("missing meta.dt");
        }
        if (!dt.isTextual()) {
            throw new MalformedEventException("meta.dt is not a string but " + kind(dt));
        }
        String text = dt.textValue().strip();
        Instant instant;
        try {
            instant = OffsetDateTime.from(META_DT.parse(text)).toInstant();
        } catch (DateTimeException e) {
            throw new MalformedEventException("meta.dt is not an ISO-8601 date-time with a UTC offset: "
                    + abbreviate(text), e);
        }
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new MalformedEventException("meta.dt is outside the years 0000-9999: " + abbreviate(text));
        }
        return instant;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return clean(value.asText());
    }

    private static Long longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.longValue() : null;
        }
        if (value.isFloatingPointNumber()) {
            // 131.0 is 131; 131.5 is not a count of bytes or an id
            return value.canConvertToExactIntegral() && value.canConvertToLong() ? value.longValue() : null;
        }
        if (value.isTextual()) {
            String digits = value.textValue().strip();
            if (INTEGER_TEXT.matcher(digits).matches()) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException beyondLong) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Integer intValue(JsonNode node, String field) {
        Long value = longValue(node, field);
        return value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** Replaces unpaired surrogates and U+0000 with U+FFFD; returns {@code text} itself when clean. */
    static String clean(String text) {
        StringBuilder cleaned = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\u0000' || !pair && Character.isSurrogate(c);
            if (bad && cleaned == null) {
                cleaned = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (cleaned != null) {
                if (pair) {
                    cleaned.append(c).append(text.charAt(i + 1));
                } else {
                    cleaned.append(bad ? '\uFFFD' : c);
                }
            }
            if (pair) {
                i++;
            }
        }
        return cleaned == null ? text : cleaned.toString();
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "a JSON array";
        }
        if (node.isObject()) {
            return "a JSON object";
        }
        if (node.isTextual()) {
            return "a JSON string";
        }
        if (node.isNumber()) {
            return "a JSON number";
        }
        if (node.isBoolean()) {
            return "a JSON boolean";
        }
        return "JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** The lake row as CsvRow.of wrote it: commons-csv's {@code CSVFormat.format} of the cleaned values. */
    static String csvRow(RecentChange rc) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (LakeColumn column : LakeColumn.values()) {
            String value = column == LakeColumn.EVENT_TIME ? EVENT_TIME.format(rc.eventTime()) : column.valueOf(rc);
            values.add(value == null || value.isEmpty() ? null
                    : value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\u0000', '\uFFFD'));
        }
        return CsvRow.FORMAT.format(values.toArray()) + "\n";
    }

    /** The search document as SearchDocument.toJson wrote it: an ObjectNode, serialised by an ObjectMapper. */
    static String searchDocument(RecentChange rc) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc = mapper.createObjectNode();
        java.util.function.BiConsumer<String, Object> put = (field, value) -> {
            if (value instanceof String s) {
                doc.put(field, s);
            } else if (value instanceof Integer i) {
                doc.put(field, i);
            } else if (value instanceof Long l) {
                doc.put(field, l);
            } else if (value instanceof Boolean b) {
                doc.put(field, b);
            }
        };
        put.accept("@timestamp", EVENT_TIME.format(rc.eventTime()));
        put.accept("event_id", rc.eventId());
        put.accept("wiki", rc.wiki());
        put.accept("server_name", rc.serverName());
        put.accept("type", rc.type());
        put.accept("namespace", rc.namespace());
        put.accept("title", rc.title());
        put.accept("user", rc.user());
        put.accept("bot", rc.bot());
        put.accept("minor", rc.minor());
        put.accept("patrolled", rc.patrolled());
        put.accept("length_old", rc.lengthOld());
        put.accept("length_new", rc.lengthNew());
        if (rc.lengthNew() != null) {
            doc.put("length_delta", (long) rc.lengthNew() - (rc.lengthOld() == null ? 0L : rc.lengthOld()));
        }
        put.accept("revision_new", rc.revisionNew());
        put.accept("log_type", rc.logType());
        put.accept("log_action", rc.logAction());
        put.accept("comment", rc.comment());
        return mapper.writeValueAsString(doc);
    }

    /** LakeColumn's event_time format, which its formatInstant wrote through before it wrote digits itself. */
    static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
}
