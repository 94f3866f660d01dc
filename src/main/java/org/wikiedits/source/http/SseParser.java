package org.wikiedits.source.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The Server-Sent Events grammar (WHATWG HTML, "Interpreting an event stream"), fed text in chunks
 * as it arrives: lines end in CR, LF or CRLF (also when the CR and the LF arrive in different chunks),
 * a leading BOM is skipped, {@code :} lines are comments, a field without a colon has an empty value,
 * one space after the colon is dropped, {@code data} lines are joined by {@code \n}, a blank line
 * dispatches the event, {@code id} values containing NUL and non-numeric {@code retry} values are
 * ignored. An event not yet ended by a blank line stays pending (and is lost if the stream ends).
 * Not thread-safe: one parser per connection.
 */
public final class SseParser {

    private static final String DEFAULT_TYPE = "message";

    private final StringBuilder line = new StringBuilder(256);
    private final StringBuilder data = new StringBuilder(2048);
    /** The current line's bytes when they are not valid UTF-8 ({@link #feedLine}). */
    private byte[] lineBytes;
    /** The data lines' original bytes, kept from the first data line that is not valid UTF-8 until dispatch. */
    private ByteArrayOutputStream rawData;
    private String eventType = "";
    private String lastEventId;
    private long retryMillis = -1;
    private boolean afterCr;
    private boolean atStart = true;

    /** A parser for a new connection, which has no event id yet. */
    public SseParser() {
        this(null);
    }

    /** A parser whose events inherit {@code lastEventId} until the stream sends an {@code id:} (a resumed connection). */
    public SseParser(String lastEventId) {
        this.lastEventId = lastEventId;
    }

    /** Parses the next chunk and returns the events it completed, in order (often none or one). */
    public List<SseEvent> feed(CharSequence chunk) {
        List<SseEvent> events = new ArrayList<>(2);
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (atStart) {
                atStart = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c == '\n') {
                if (afterCr) {
                    afterCr = false; // the LF of a CRLF: that line already ended at the CR
                } else {
                    endLine(events);
                }
            } else if (c == '\r') {
                afterCr = true;
                endLine(events);
            } else {
                afterCr = false;
                line.append(c);
            }
        }
        return events;
    }

    /**
     * Parses one complete line (without its line end), as {@link Utf8Lines} splits them: a line that
     * is not valid UTF-8 comes with its original bytes, and an event with such a data line carries
     * them ({@link SseEvent#invalidUtf8}). Use either this or {@link #feed}, not both on one parser.
     */
    public List<SseEvent> feedLine(String text, byte[] invalidUtf8) {
        List<SseEvent> events = new ArrayList<>(1);
        String content = text;
        if (atStart) {
            atStart = false;
            content = content.startsWith("\uFEFF") ? content.substring(1) : content;
        }
        line.setLength(0);
        line.append(content);
        lineBytes = invalidUtf8 == null || content.length() == text.length() ? invalidUtf8
                : Arrays.copyOfRange(invalidUtf8, 3, invalidUtf8.length); // the BOM is 3 bytes
        try {
            endLine(events);
        } finally {
            lineBytes = null;
        }
        return events;
    }

    /** The latest valid {@code retry:} value in milliseconds, if the stream sent one. */
    public OptionalLong retryMillis() {
        return retryMillis < 0 ? OptionalLong.empty() : OptionalLong.of(retryMillis);
    }

    /** The last event id buffer: what a reconnect would send as {@code Last-Event-ID}. */
    public String lastEventId() {
        return lastEventId;
    }

    private void endLine(List<SseEvent> events) {
        if (line.length() == 0) {
            dispatch(events);
            return;
        }
        if (line.charAt(0) != ':') {
            int colon = line.indexOf(":");
            String field;
            String value;
            if (colon < 0) {
                field = line.toString();
                value = "";
            } else {
                field = line.substring(0, colon);
                int start = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
                value = line.substring(start);
            }
            processField(field, value);
        }
        line.setLength(0);
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> {
                if (lineBytes != null && rawData == null) {
                    rawData = new ByteArrayOutputStream(data.length() + lineBytes.length + 1);
                    rawData.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8)); // valid so far
                }
                if (rawData != null) {
                    // "data:" and the space are ASCII: the value starts at the same offset in bytes as in chars
                    rawData.writeBytes(lineBytes != null
                            ? Arrays.copyOfRange(lineBytes, line.length() - value.length(), lineBytes.length)
                            : value.getBytes(StandardCharsets.UTF_8));
                    rawData.write('\n');
                }
                data.append(value).append('\n');
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.length() <= 18 && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored, as the specification says
            }
        }
    }

    private void dispatch(List<SseEvent> events) {
        if (data.length() == 0) {
            eventType = "";
            rawData = null;
            return;
        }
        data.setLength(data.length() - 1); // the \n after the last data line
        byte[] invalidUtf8 = null;
        if (rawData != null) {
            byte[] raw = rawData.toByteArray();
            invalidUtf8 = Arrays.copyOf(raw, raw.length - 1);
            rawData = null;
        }
        events.add(new SseEvent(lastEventId, eventType.isEmpty() ? DEFAULT_TYPE : eventType, data.toString(), invalidUtf8));
        data.setLength(0);
        eventType = "";
    }
}
