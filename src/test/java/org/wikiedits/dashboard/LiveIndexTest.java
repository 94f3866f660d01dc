package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.opensearch.client.RestClient;
import org.wikiedits.sink.index.OpenSearchRestClients;
import org.wikiedits.testing.LoopbackPorts;

class LiveIndexTest {

    @Test
    void anIndexThatCannotBeReachedMakesThePanelUnavailableAndOnlyTheDetailSaysWhere() throws Exception {
        String url = "http://127.0.0.1:" + LoopbackPorts.free(); // nothing listens there
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url, "wikiedits", "s3cret");
        try (RestClient client = OpenSearchRestClients.create(endpoint)) {
            LiveIndex live = new LiveIndex(client, endpoint, Clock.systemUTC());

            assertThatThrownBy(() -> live.panel("top-wikis", null, null, null)).isInstanceOfSatisfying(PanelUnavailableException.class, e -> {
                assertThat(e.getMessage()).contains("The search index is not reachable").contains("is OpenSearch running?")
                        .doesNotContain(url);
                assertThat(e.detail()).contains("the index at " + url).doesNotContain("s3cret");
            });
        }
    }

    @Test
    void withoutAConfiguredIndexThePanelsSayWhatToSet() {
        LiveIndex live = LiveIndex.unconfigured(Clock.systemUTC());

        assertThatThrownBy(() -> live.panel("summary", null, null, null)).isInstanceOf(PanelUnavailableException.class)
                .hasMessageContaining("set wikiedits.opensearch.url");
    }

    @Test
    void anUnknownPanelIsABadRequestThatListsThePanels() {
        LiveIndex live = LiveIndex.unconfigured(Clock.systemUTC());

        assertThatThrownBy(() -> live.panel("../_cat/indices", null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no live panel '../_cat/indices'")
                .hasMessageEndingWith("the panels are summary, rate, types, top-wikis, top-pages, biggest-changes, feed, alerts");
        assertThatThrownBy(() -> live.panel("x".repeat(5000), null, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no live panel '?'");
        assertThatThrownBy(() -> live.panel("feed", "500", null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be a whole number from 1 to 50, not '500'");
    }
}
