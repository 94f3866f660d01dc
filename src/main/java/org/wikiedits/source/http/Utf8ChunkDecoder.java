package org.wikiedits.source.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 that arrives in arbitrary pieces: a character split between two network reads is
 * kept back until its last byte arrives. Invalid bytes become U+FFFD, as SSE requires.
 */
final class Utf8ChunkDecoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer carry = ByteBuffer.allocate(0);

    String decode(ByteBuffer bytes) {
        ByteBuffer in = bytes;
        if (carry.hasRemaining()) {
            in = ByteBuffer.allocate(carry.remaining() + bytes.remaining()).put(carry).put(bytes).flip();
        }
        // UTF-8 never yields more UTF-16 units than bytes; +1 leaves room for a replacement character
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        carry = ByteBuffer.allocate(in.remaining()).put(in).flip();
        return out.flip().toString();
    }
}
