package org.wikiedits.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads one {@code recentchange} JSON text tolerantly: unknown fields are ignored, optional fields
 * may be absent or null, {@code log_params} may have any shape (it is not used). Only what makes
 * an event unusable is an error: not a JSON object, no {@code meta.id}, no parsable {@code meta.dt}.
 */
public final class RecentChangeReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecentChangeReader() {
    }

    public static RecentChange read(String json) throws MalformedEventException {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty event");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        JsonNode meta = root.path("meta");
        String eventId = text(meta, "id");
        if (eventId == null || eventId.isBlank()) {
            throw new MalformedEventException("missing meta.id");
        }
        String dt = text(meta, "dt");
        if (dt == null) {
            throw new MalformedEventException("missing meta.dt");
        }
        Instant eventTime;
        try {
            eventTime = Instant.parse(dt);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("meta.dt is not an ISO-8601 instant: " + dt, e);
        }
        String domain = text(meta, "domain");
        String serverName = text(root, "server_name");
        return new RecentChange(
                eventId,
                eventTime,
                domain,
                longValue(root, "timestamp"),
                longValue(root, "id"),
                text(root, "type"),
                text(root, "wiki"),
                serverName != null ? serverName : domain,
                intValue(root, "namespace"),
                text(root, "title"),
                text(root, "user"),
                bool(root, "bot"),
                bool(root, "minor"),
                bool(root, "patrolled"),
                intValue(root.path("length"), "old"),
                intValue(root.path("length"), "new"),
                longValue(root.path("revision"), "old"),
                longValue(root.path("revision"), "new"),
                text(root, "log_type"),
                text(root, "log_action"),
                text(root, "comment"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }

    private static Long longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() && !isIntegralText(value)) {
            return null;
        }
        return value.asLong();
    }

    private static Integer intValue(JsonNode node, String field) {
        Long value = longValue(node, field);
        return value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    private static boolean isIntegralText(JsonNode value) {
        return value.isTextual() && value.asText().matches("-?\\d{1,18}");
    }
}
