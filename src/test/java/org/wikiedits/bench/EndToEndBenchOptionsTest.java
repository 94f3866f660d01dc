package org.wikiedits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The options of {@code bench/e2e.sh} that take no value mix with the ones that do. */
class EndToEndBenchOptionsTest {

    @Test
    void detectorsCompareIsAFlagAmongOptionsWithValues() {
        EndToEndBench.Options options = EndToEndBench.Options.parse("--events", "20000", "--detectors-compare", "--live-seconds", "5");

        assertThat(options.detectorsCompare()).isTrue();
        assertThat(options.events()).isEqualTo(20_000);
        assertThat(options.liveSeconds()).isEqualTo(5);
        assertThat(EndToEndBench.Options.parse("--events", "20000").detectorsCompare()).as("off unless asked").isFalse();
        assertThat(EndToEndBench.USAGE).contains("[--detectors-compare]");
    }
}
