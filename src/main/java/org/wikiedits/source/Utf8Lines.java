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

    /** The lines that {@code bytes} completed, in order. */
    public List<Line> feed(ByteBuffer bytes) {
        List<Line> lines = new ArrayList<>(2);
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n') {
                if (afterCr) {
                    afterCr = false; // the LF of a CRLF: that line already ended at the CR
                } else {
                    lines.add(take());
                }
            } else if (b == '\r') {
                afterCr = true;
                lines.add(take());
            } else {
                afterCr = false;
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                buffer[length++] = b;
            }
        }
        return lines;
    }

    /** At the end of the input: the last line if it had no line end. */
    public Optional<Line> finish() {
        return length == 0 ? Optional.empty() : Optional.of(take());
    }

    private Line take() {
        Line line;
        try {
            line = new Line(strict.reset().decode(ByteBuffer.wrap(buffer, 0, length)).toString(), null);
        } catch (CharacterCodingException notUtf8) {
            byte[] original = Arrays.copyOf(buffer, length);
            line = new Line(new String(original, StandardCharsets.UTF_8), original);
        }
        length = 0;
        if (buffer.length > KEPT_CAPACITY) {
            buffer = new byte[INITIAL_CAPACITY];
        }
        return line;
    }
}
