package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiffLinksTest {

    @Test
    void anEditLinksToItsDiffANewPageToItsFirstRevisionAnythingElseToThePage() {
        assertThat(DiffLinks.of("en.wikipedia.org", "edit", "Albert Einstein", 123L))
                .isEqualTo("https://en.wikipedia.org/w/index.php?diff=123");
        assertThat(DiffLinks.of("de.wikipedia.org", "new", "Berlin", 77L)).isEqualTo("https://de.wikipedia.org/w/index.php?oldid=77");
        assertThat(DiffLinks.of("commons.wikimedia.org", "log", "File:Sunset over Fuji/a.jpg", null))
                .isEqualTo("https://commons.wikimedia.org/wiki/File:Sunset_over_Fuji/a.jpg");
        assertThat(DiffLinks.of("fr.wikipedia.org", "edit", "L'Étranger", null))
                .isEqualTo("https://fr.wikipedia.org/wiki/L%27%C3%89tranger");
    }

    @Test
    void aServerNameThatIsNotAPlainHostGetsNoLink() {
        assertThat(DiffLinks.of(null, "edit", "X", 1L)).isNull();
        assertThat(DiffLinks.of("javascript:alert(1)", "edit", "X", 1L)).isNull();
        assertThat(DiffLinks.of("evil.example/phish", "edit", "X", 1L)).isNull();
        assertThat(DiffLinks.of("user@evil.example", "edit", "X", 1L)).isNull();
        assertThat(DiffLinks.of("localhost", "edit", "X", 1L)).isNull();
        assertThat(DiffLinks.of("en.wikipedia.org", "log", null, null)).isNull();
    }
}
