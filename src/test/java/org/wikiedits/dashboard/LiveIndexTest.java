package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.testing.LoopbackPorts;

class LiveIndexTest {

    @Test
    void anIndexThatCannotBeReachedMakesThePanelUnavailableAndOnlyTheDetailSaysWhere() {
        String url = "http://127.0.0.1:" + LoopbackPorts.free(); // nothing listens there
        LiveIndex live = new LiveIndex(Optional.of(new OpenSearchClient(OpenSearchEndpoint.of(url, "", ""))), Clock.systemUTC());

        assertThatThrownBy(() -> live.panel("top-wikis", null)).isInstanceOfSatisfying(PanelUnavailableException.class, e -> {
            assertThat(e.getMessage()).contains("The search index is not reachable").contains("is OpenSearch running?")
                    .doesNotContain(url);
            assertThat(e.detail()).contains("the index at " + url);
        });
    }

    @Test
    void withoutAConfiguredIndexThePanelsSayWhatToSet() {
        LiveIndex live = new LiveIndex(Optional.empty(), Clock.systemUTC());

        assertThatThrownBy(() -> live.panel("summary", null)).isInstanceOf(PanelUnavailableException.class)
                .hasMessageContaining("set wikiedits.opensearch.url");
    }

    @Test
    void anUnknownPanelIsABadRequestThatListsThePanels() {
        LiveIndex live = new LiveIndex(Optional.empty(), Clock.systemUTC());

        assertThatThrownBy(() -> live.panel("../_cat/indices", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no live panel '../_cat/indices'").hasMessageContaining("summary, rate, types");
        assertThatThrownBy(() -> live.panel("x".repeat(5000), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no live panel '?'");
        assertThatThrownBy(() -> live.panel("feed", "500")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be a whole number from 1 to 50, not '500'");
    }
}
