package org.wikiedits.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    @Test
    void metaDtIsFoundWhereverMetaIsAndWhateverComesBefore() {
        assertThat(EventTime.metaDt("{\"meta\":{\"id\":\"x\",\"dt\":\"2026-08-04T15:24:29.724Z\"},\"type\":\"edit\"}"))
                .hasValue(Instant.parse("2026-08-04T15:24:29.724Z"));
        assertThat(EventTime.metaDt("{\"$schema\":\"/x\",\"log_params\":{\"dt\":\"no\"},\"a\":[1,{\"meta\":2}],"
                + "\"meta\":{\"nested\":{\"dt\":\"no\"},\"dt\":\"2018-03-07T17:00:04+00:00\"}}"))
                .hasValue(Instant.parse("2018-03-07T17:00:04Z"));
    }

    @Test
    void noUsableMetaDtGivesNothing() {
        assertThat(EventTime.metaDt("{\"meta\":{\"id\":\"x\"}}")).isEmpty();
        assertThat(EventTime.metaDt("{\"meta\":{\"dt\":\"yesterday\"}}")).isEmpty();
        assertThat(EventTime.metaDt("{\"meta\":{\"dt\":5}}")).isEmpty();
        assertThat(EventTime.metaDt("[1,2]")).isEmpty();
        assertThat(EventTime.metaDt("not json")).isEmpty();
        assertThat(EventTime.metaDt("{\"meta\":{\"dt\":")).isEmpty();
    }
}
