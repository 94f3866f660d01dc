package org.wikiedits.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

    private static List<Utf8Lines.Line> feedInPieces(Utf8Lines lines, byte[] bytes, int piece) {
        List<Utf8Lines.Line> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += piece) {
            out.addAll(lines.feed(ByteBuffer.wrap(bytes, i, Math.min(piece, bytes.length - i))));
        }
        return out;
    }

    @Test
    void splitsOnEveryLineEndAlsoWhenCharactersAndCrLfArriveInPieces() {
        byte[] bytes = "data: café ☃\r\nid: 1\rdata: 𝄞\n\n".getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= bytes.length; piece++) {
            assertThat(feedInPieces(new Utf8Lines(), bytes, piece)).as("pieces of %d bytes", piece)
                    .extracting(Utf8Lines.Line::text).containsExactly("data: café ☃", "id: 1", "data: 𝄞", "");
        }
        assertThat(feedInPieces(new Utf8Lines(), bytes, 3)).allSatisfy(line -> assertThat(line.invalidUtf8()).isNull());
    }

    @Test
    void aLineThatIsNotUtf8IsDecodedWithReplacementsAndKeepsItsBytes() {
        byte[] bytes = {'d', 'a', 't', 'a', ':', ' ', 'C', 'a', 'f', (byte) 0xC3, '(', '\n', 'o', 'k', '\n'};
        List<Utf8Lines.Line> lines = feedInPieces(new Utf8Lines(), bytes, 2);
        assertThat(lines.get(0).text()).isEqualTo("data: Caf\uFFFD(");
        assertThat(lines.get(0).invalidUtf8()).containsExactly(java.util.Arrays.copyOf(bytes, 11));
        assertThat(lines.get(1).text()).isEqualTo("ok");
        assertThat(lines.get(1).invalidUtf8()).isNull();
    }

    @Test
    void theLastLineWithoutALineEndComesAtTheFinish() {
        Utf8Lines lines = new Utf8Lines();
        assertThat(lines.feed(ByteBuffer.wrap("a\nb".getBytes(StandardCharsets.UTF_8)))).extracting(Utf8Lines.Line::text).containsExactly("a");
        assertThat(lines.finish()).hasValueSatisfying(line -> assertThat(line.text()).isEqualTo("b"));
        assertThat(lines.finish()).isEmpty();
    }

    @Test
    void aHugeLineArrivesWhole() {
        String big = "data: " + "x".repeat(5 * 1024 * 1024);
        List<Utf8Lines.Line> lines = feedInPieces(new Utf8Lines(), (big + "\n").getBytes(StandardCharsets.UTF_8), 65536);
        assertThat(lines).singleElement().satisfies(line -> assertThat(line.text()).isEqualTo(big));
    }

    @Test
    void aReplacementCharacterSentAsSuchIsValidUtf8() {
        byte[] bytes = "data: a\uFFFDb\n".getBytes(StandardCharsets.UTF_8);
        List<Utf8Lines.Line> lines = feedInPieces(new Utf8Lines(), bytes, 4);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo("data: a\uFFFDb");
            assertThat(line.invalidUtf8()).as("U+FFFD is a valid character, not a replacement").isNull();
        });
    }

    @Test
    void directBuffersSplitAndDecodeLikeHeapBuffers() {
        byte[] bytes = "data: café ☃\r\nid: 1\rdata: 𝄞\n\n".getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= bytes.length; piece++) {
            Utf8Lines lines = new Utf8Lines();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += piece) {
                ByteBuffer direct = ByteBuffer.allocateDirect(Math.min(piece, bytes.length - i));
                direct.put(bytes, i, direct.capacity()).flip();
                lines.feed(direct).forEach(line -> out.add(line.text()));
                assertThat(direct.hasRemaining()).isFalse();
            }
            assertThat(out).as("pieces of %d bytes", piece).containsExactly("data: café ☃", "id: 1", "data: 𝄞", "");
        }
    }
}
