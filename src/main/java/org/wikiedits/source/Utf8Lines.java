package org.wikiedits.source;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits the bytes of an event stream or a recording into lines (ending in CR, LF or CRLF, also when a line or its
 * CRLF arrives in pieces) and decodes each line as UTF-8. Splitting before decoding keeps a line's
 * original bytes at hand: a line that is not valid UTF-8 is decoded with U+FFFD, as SSE requires, and
 * also handed on as the bytes that arrived, so an event with such a line can be stored as it came.
 * Line ends are ASCII and never part of a multi-byte character, so bytes split where text would.
 */
public final class Utf8Lines {

    /**
     * One line without its line end.
     *
     * @param text        the line decoded as UTF-8 (invalid bytes as U+FFFD)
     * @param invalidUtf8 the line's bytes as they arrived when they are not valid UTF-8, else {@code null}
     */
    public record Line(String text, byte[] invalidUtf8) {
    }

    private static final int INITIAL_CAPACITY = 8192;
    /** A buffer grown for a huge line is given back afterwards. */
    private static final int KEPT_CAPACITY = 1 << 20;

    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int length;
    private boolean afterCr;

    /**
     * The lines that {@code bytes} completed, in order. Scans for the line ends and copies the bytes
     * between them in bulk: byte by byte through the buffer was two thirds of the SSE parser's time.
     */
    public List<Line> feed(ByteBuffer bytes) {
        List<Line> lines = new ArrayList<>(2);
        int at = bytes.position();
        int limit = bytes.limit();
        while (at < limit) {
            if (afterCr) {
                afterCr = false;
                if (bytes.get(at) == '\n') {
                    at++; // the LF of a CRLF: that line already ended at the CR
                    continue;
                }
            }
            int end = lineEnd(bytes, at, limit);
            append(bytes, at, end);
            if (end == limit) {
                at = limit;
            } else {
                afterCr = bytes.get(end) == '\r';
                lines.add(take());
                at = end + 1;
            }
        }
        bytes.position(limit);
        return lines;
    }

    /** The index of the first CR or LF in {@code bytes[from, limit)}, or {@code limit}. */
    private static int lineEnd(ByteBuffer bytes, int from, int limit) {
        if (bytes.hasArray()) {
            byte[] array = bytes.array();
            int offset = bytes.arrayOffset();
            for (int i = from; i < limit; i++) {
                byte b = array[offset + i];
                if (b == '\n' || b == '\r') {
                    return i;
                }
            }
            return limit;
        }
        for (int i = from; i < limit; i++) {
            byte b = bytes.get(i);
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return limit;
    }

    private void append(ByteBuffer bytes, int from, int to) {
        int count = to - from;
        if (length + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        bytes.get(from, buffer, length, count);
        length += count;
    }

    /** At the end of the input: the last line if it had no line end. */
    public Optional<Line> finish() {
        return length == 0 ? Optional.empty() : Optional.of(take());
    }

    private Line take() {
        // String's own decoding is the fast one, and it puts U+FFFD for what is not UTF-8; only a line
        // with U+FFFD in it (sent as such, or replaced) is decoded again strictly to tell the two apart
        String text = new String(buffer, 0, length, StandardCharsets.UTF_8);
        Line line = new Line(text, null);
        if (text.indexOf('\uFFFD') >= 0) {
            try {
                strict.reset().decode(ByteBuffer.wrap(buffer, 0, length));
            } catch (CharacterCodingException notUtf8) {
                line = new Line(text, Arrays.copyOf(buffer, length));
            }
        }
        length = 0;
        if (buffer.length > KEPT_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
        return line;
    }
}
