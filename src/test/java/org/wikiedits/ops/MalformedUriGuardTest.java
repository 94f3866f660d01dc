package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MalformedUriGuardTest {

    @Test
    void aQueryIsWellEscapedWhenEveryPercentStartsTwoHexDigits() {
        assertThat(MalformedUriGuard.wellEscaped("limit=10&from=2026-11-01")).isTrue();
        assertThat(MalformedUriGuard.wellEscaped("q=%C3%A9t%c3%a9&x=%20")).isTrue();
        assertThat(MalformedUriGuard.wellEscaped("")).isTrue();
    }

    @Test
    void aPercentWithoutTwoHexDigitsIsMalformed() {
        assertThat(MalformedUriGuard.wellEscaped("limit=%ZZ")).isFalse();
        assertThat(MalformedUriGuard.wellEscaped("limit=%")).isFalse();
        assertThat(MalformedUriGuard.wellEscaped("limit=%4")).isFalse();
        assertThat(MalformedUriGuard.wellEscaped("a=1&b=%4G")).isFalse();
        assertThat(MalformedUriGuard.wellEscaped("a=%%41")).isFalse();
    }
}
