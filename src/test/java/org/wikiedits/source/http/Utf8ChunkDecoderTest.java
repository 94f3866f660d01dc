package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8ChunkDecoderTest {

    @Test
    void aCharacterSplitBetweenChunksIsDecodedOnceWhole() {
        String text = "Ab東京🌅ÿ€z";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();
            String decoded = decoder.decode(ByteBuffer.wrap(bytes, 0, split))
                    + decoder.decode(ByteBuffer.wrap(bytes, split, bytes.length - split));
            assertThat(decoded).as("split at %d", split).isEqualTo(text);
        }
        Utf8ChunkDecoder byteByByte = new Utf8ChunkDecoder();
        StringBuilder decoded = new StringBuilder();
        for (byte b : bytes) {
            decoded.append(byteByByte.decode(ByteBuffer.wrap(new byte[] {b})));
        }
        assertThat(decoded).hasToString(text);
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        assertThat(new Utf8ChunkDecoder().decode(ByteBuffer.wrap(new byte[] {'a', (byte) 0xFF, 'b'}))).isEqualTo("a\uFFFDb");
    }
}
