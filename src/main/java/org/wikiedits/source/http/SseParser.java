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
    /** The first data line of the pending event: most events have one, and it is their data as it is. */
    private String firstData;
    /** The data lines joined so far, from the second data line on. */
    private final StringBuilder data = new StringBuilder(2048);
    private int dataLines;
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
                    endBufferedLine(events);
                }
            } else if (c == '\r') {
                afterCr = true;
                endBufferedLine(events);
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
        String content = text;
        if (atStart) {
            atStart = false;
            content = content.startsWith("\uFEFF") ? content.substring(1) : content;
        }
        lineBytes = invalidUtf8 == null || content.length() == text.length() ? invalidUtf8
                : Arrays.copyOfRange(invalidUtf8, 3, invalidUtf8.length); // the BOM is 3 bytes
        try {
            return endLine(content); // the line as it is: no copy, no field name cut out of it
        } finally {
            lineBytes = null;
        }
    }

    /** The latest valid {@code retry:} value in milliseconds, if the stream sent one. */
    public OptionalLong retryMillis() {
        return retryMillis < 0 ? OptionalLong.empty() : OptionalLong.of(retryMillis);
    }

    /** The last event id buffer: what a reconnect would send as {@code Last-Event-ID}. */
    public String lastEventId() {
        return lastEventId;
    }

    private void endBufferedLine(List<SseEvent> events) {
        events.addAll(endLine(line.toString()));
        line.setLength(0);
    }

    /** Processes one line; returns the event it dispatched, if any. */
    private List<SseEvent> endLine(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) != ':') {
            int colon = line.indexOf(':');
            int nameLength = colon < 0 ? line.length() : colon;
            int valueStart = colon < 0 ? line.length()
                    : colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
            if (isField(line, nameLength, "data")) {
                data(line.substring(valueStart), valueStart);
            } else if (isField(line, nameLength, "event")) {
                eventType = line.substring(valueStart);
            } else if (isField(line, nameLength, "id")) {
                if (line.indexOf('\0', valueStart) < 0) {
                    lastEventId = line.substring(valueStart);
                }
            } else if (isField(line, nameLength, "retry")) {
                retry(line.substring(valueStart));
            }
            // unknown fields are ignored, as the specification says
        }
        return List.of();
    }

    private static boolean isField(String line, int nameLength, String name) {
        return nameLength == name.length() && line.startsWith(name);
    }

    private void data(String value, int valueStart) {
        if (lineBytes != null && rawData == null) {
            rawData = new ByteArrayOutputStream(data.length() + lineBytes.length + 1);
            if (dataLines > 0) {
                rawData.writeBytes(joinedData().getBytes(StandardCharsets.UTF_8)); // valid so far
                rawData.write('\n');
            }
        }
        if (rawData != null) {
            // "data:" and the space are ASCII: the value starts at the same offset in bytes as in chars
            rawData.writeBytes(lineBytes != null
                    ? Arrays.copyOfRange(lineBytes, valueStart, lineBytes.length)
                    : value.getBytes(StandardCharsets.UTF_8));
            rawData.write('\n');
        }
        if (dataLines == 0) {
            firstData = value;
        } else {
            if (dataLines == 1) {
                data.setLength(0);
                data.append(firstData);
            }
            data.append('\n').append(value);
        }
        dataLines++;
    }

    private String joinedData() {
        return dataLines == 1 ? firstData : data.toString();
    }

    private void retry(String value) {
        if (!value.isEmpty() && value.length() <= 18 && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            retryMillis = Long.parseLong(value);
        }
    }

    private List<SseEvent> dispatch() {
        if (dataLines == 0) {
            eventType = "";
            rawData = null;
            return List.of();
        }
        byte[] invalidUtf8 = null;
        if (rawData != null) {
            byte[] raw = rawData.toByteArray();
            invalidUtf8 = Arrays.copyOf(raw, raw.length - 1); // the \n after the last data line
            rawData = null;
        }
        SseEvent event = new SseEvent(lastEventId, eventType.isEmpty() ? DEFAULT_TYPE : eventType, joinedData(), invalidUtf8);
        firstData = null;
        data.setLength(0);
        dataLines = 0;
        eventType = "";
        return List.of(event);
    }
}
