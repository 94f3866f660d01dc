package org.wikiedits.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads just {@code meta.dt} of an event with Jackson's streaming parser: {@code meta} comes first in
 * Wikimedia's events, so this stops after a few tokens instead of building the whole tree.
 */
public final class EventTime {

    private static final JsonFactory JSON = new JsonFactory();

    private EventTime() {
    }

    /** The event's {@code meta.dt}, or empty when it is absent or not an ISO-8601 instant. */
    public static Optional<Instant> metaDt(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("meta".equals(field) && value == JsonToken.START_OBJECT) {
                    return dtInside(parser);
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> dtInside(JsonParser meta) throws IOException {
        while (meta.nextToken() == JsonToken.FIELD_NAME) {
            String field = meta.currentName();
            JsonToken value = meta.nextToken();
            if ("dt".equals(field) && value == JsonToken.VALUE_STRING) {
                return Optional.of(Instant.parse(meta.getText()));
            }
            meta.skipChildren();
        }
        return Optional.empty();
    }
}
