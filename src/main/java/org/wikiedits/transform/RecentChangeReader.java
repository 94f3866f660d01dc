package org.wikiedits.transform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads one {@code recentchange} JSON text tolerantly: unknown fields are ignored, optional fields
 * may be absent or null, {@code log_params} may have any shape (it is not used), numbers may come
 * as JSON numbers or as strings of digits. Only what makes an event unusable is an error (a
 * {@link MalformedEventException} whose message is the reason): not JSON, truncated JSON, not a
 * JSON object, no usable {@code meta.id}, no {@code meta.dt} in ISO-8601 with a UTC offset.
 *
 * <p>Values that a column cannot hold become absent rather than wrong: a number beyond the
 * column's range (an {@code int} beyond 2^31, a {@code bigint} beyond 2^63) is {@code null}, never
 * wrapped around. Text is cleaned once here so that the lake and the index see the same value:
 * unpaired UTF-16 surrogates and U+0000 become U+FFFD (neither survives UTF-8 or CSV readers).
 *
 * <p>One pass of Jackson's streaming parser, without a tree (docs/performance.md): a backfill reads
 * every event through here, and the tree and the {@code meta.dt} formatter were most of its time.
 */
public final class RecentChangeReader {

    /** {@code FAIL_ON_TRAILING_TOKENS}: {@code {"a":1} garbage} or two objects on a line are not one event. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Builds the one value's {@link JsonNode} for the rare shapes: no trailing-token check there, it is mid-event. */
    private static final ObjectMapper SCALARS = new ObjectMapper();

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

    private RecentChangeReader() {
    }

    public static RecentChange read(String json) throws MalformedEventException {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty event");
        }
        String text = json.charAt(0) == '\uFEFF' ? json.substring(1) : json;
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedEventException("empty event");
            }
            if (first != JsonToken.START_OBJECT) {
                // read whole (and checked for trailing tokens) as the object would be, for the same reason when it is broken
                JsonNode root = MAPPER.readTree(parser);
                throw new MalformedEventException("not a JSON object but " + kind(root));
            }
            Fields fields = new Fields();
            fields.readEvent(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new MalformedEventException("not valid JSON: Trailing token (of type " + trailing
                        + ") found after value (bound as `" + JsonNode.class.getName()
                        + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
            return fields.toRecentChange();
        } catch (JsonEOFException e) {
            throw new MalformedEventException("truncated JSON: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an event from a String", e); // a String has no I/O to fail
        }
    }

    /**
     * The fields the lake and the index use, collected in one pass over the parser's tokens. A field
     * given twice keeps its last value (as the tree did); the rare shapes (numbers as text, decimals,
     * huge numbers, text as numbers) are read through a {@link JsonNode} of that one value, with the
     * same rules as the common ones.
     */
    private static final class Fields {
        private Meta meta = Meta.ABSENT;
        private Long timestamp;
        private Long rcId;
        private String type;
        private String wiki;
        private String serverName;
        private Integer namespace;
        private String title;
        private String user;
        private Boolean bot;
        private Boolean minor;
        private Boolean patrolled;
        private Integer lengthOld;
        private Integer lengthNew;
        private Long revisionOld;
        private Long revisionNew;
        private String logType;
        private String logAction;
        private String comment;

        void readEvent(JsonParser parser) throws IOException {
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "meta" -> meta = Meta.read(parser, token);
                    case "timestamp" -> timestamp = longValue(parser, token);
                    case "id" -> rcId = longValue(parser, token);
                    case "type" -> type = text(parser, token);
                    case "wiki" -> wiki = text(parser, token);
                    case "server_name" -> serverName = text(parser, token);
                    case "namespace" -> namespace = intValue(parser, token);
                    case "title" -> title = text(parser, token);
                    case "user" -> user = text(parser, token);
                    case "bot" -> bot = bool(parser, token);
                    case "minor" -> minor = bool(parser, token);
                    case "patrolled" -> patrolled = bool(parser, token);
                    case "length" -> {
                        Long[] pair = oldAndNew(parser, token);
                        lengthOld = intRange(pair[0]);
                        lengthNew = intRange(pair[1]);
                    }
                    case "revision" -> {
                        Long[] pair = oldAndNew(parser, token);
                        revisionOld = pair[0];
                        revisionNew = pair[1];
                    }
                    case "log_type" -> logType = text(parser, token);
                    case "log_action" -> logAction = text(parser, token);
                    case "comment" -> comment = text(parser, token);
                    default -> parser.skipChildren();
                }
            }
        }

        RecentChange toRecentChange() throws MalformedEventException {
            String eventId = meta.eventId();
            Instant eventTime = meta.eventTime();
            return new RecentChange(eventId, eventTime, meta.domain, timestamp, rcId, type, wiki,
                    serverName == null || serverName.isBlank() ? meta.domain : serverName,
                    namespace, title, user, bot, minor, patrolled, lengthOld, lengthNew, revisionOld, revisionNew,
                    logType, logAction, comment);
        }
    }

    /** {@code meta}: its id and dt as given (checked once the whole event has been read, as before), and its domain. */
    private static final class Meta {
        static final Meta ABSENT = new Meta();

        private JsonToken idToken;
        private String id;
        private JsonToken dtToken;
        private String dt;
        private String domain;

        static Meta read(JsonParser parser, JsonToken token) throws IOException {
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return ABSENT; // a meta that is no object has no fields
            }
            Meta meta = new Meta();
            String field;
            while ((field = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> {
                        meta.idToken = value;
                        meta.id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    }
                    case "dt" -> {
                        meta.dtToken = value;
                        meta.dt = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    }
                    case "domain" -> meta.domain = text(parser, value);
                    default -> { }
                }
                parser.skipChildren();
            }
            return meta;
        }

        String eventId() throws MalformedEventException {
            if (idToken == null || idToken == JsonToken.VALUE_NULL || id != null && id.isBlank()) {
                throw new MalformedEventException("missing meta.id");
            }
            if (id == null) {
                throw new MalformedEventException("meta.id is not a string but " + kind(idToken));
            }
            // the id is the index _id and the lake's first column: it must survive both unchanged
            if (id.length() * 3 > MAX_ID_BYTES && id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
                throw new MalformedEventException("meta.id is longer than " + MAX_ID_BYTES + " bytes");
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                    throw new MalformedEventException("meta.id contains control characters or surrogates: " + abbreviate(id));
                }
            }
            return id;
        }

        Instant eventTime() throws MalformedEventException {
            if (dtToken == null || dtToken == JsonToken.VALUE_NULL) {
                throw new MalformedEventException("missing meta.dt");
            }
            if (dt == null) {
                throw new MalformedEventException("meta.dt is not a string but " + kind(dtToken));
            }
            return RecentChangeReader.eventTime(dt.strip());
        }
    }

    /**
     * {@code meta.dt} as an instant. Wikimedia's two forms, {@code 2026-08-04T15:24:29.724Z} and
     * {@code 2018-03-07T16:59:15+00:00}, are read digit by digit ({@link #META_DT}'s optional sections
     * were a third of the reader's time); anything else, valid or not, goes through {@link #META_DT}.
     */
    private static Instant eventTime(String text) throws MalformedEventException {
        Instant common = utcInstantOrNull(text);
        if (common != null) {
            return common;
        }
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

    /** {@code uuuu-MM-ddTHH:mm:ss}, 0-9 fraction digits, then {@code Z} or {@code +00:00}; else {@code null}. */
    static Instant utcInstantOrNull(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int end;
        if (text.charAt(length - 1) == 'Z') {
            end = length - 1;
        } else if (text.endsWith("+00:00")) {
            end = length - 6;
        } else {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (end > 19) {
            int fraction = end - 20;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(text, 20, end);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (end != 19) {
            return null;
        }
        if ((year | month | day | hour | minute | second | nanos) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException invalid) {
            return null; // e.g. February 30th: the formatter says why
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static String text(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return clean(parser.getText());
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        JsonNode scalar = SCALARS.readTree(parser);
        return clean(scalar.asText()); // a number or boolean as the text the tree gave it
    }

    private static Long longValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        JsonNode scalar = SCALARS.readTree(parser);
        return longValue(scalar);
    }

    private static Integer intValue(JsonParser parser, JsonToken token) throws IOException {
        return intRange(longValue(parser, token));
    }

    /** {@code length} and {@code revision}: {@code old} and {@code new} of an object; both absent for any other shape. */
    private static Long[] oldAndNew(JsonParser parser, JsonToken token) throws IOException {
        Long[] pair = new Long[2];
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return pair;
        }
        String field;
        while ((field = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            switch (field) {
                case "old" -> pair[0] = longValue(parser, value);
                case "new" -> pair[1] = longValue(parser, value);
                default -> parser.skipChildren();
            }
        }
        return pair;
    }

    private static Boolean bool(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText().strip();
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        parser.skipChildren();
        return null;
    }

    private static Long longValue(JsonNode value) {
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

    private static Integer intRange(Long value) {
        return value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : value.intValue();
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

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a JSON array";
            case START_OBJECT -> "a JSON object";
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
            default -> "JSON " + token.name().toLowerCase(Locale.ROOT);
        };
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
}
