package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void unknownOption_exitsWith2_namesItAndSuggestsTheNearest() {
        CliRun r = CliRun.of("replay", "--scenario", "v100-cross-area", "--polcy", "greedy");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--polcy").contains("--policies");
        assertThat(r.err()).doesNotContain("at dev.spotkeeper");
    }

    @Test
    void unknownCommand_exitsWith2() {
        CliRun r = CliRun.of("rnu", "train.yaml");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("rnu");
    }
}
