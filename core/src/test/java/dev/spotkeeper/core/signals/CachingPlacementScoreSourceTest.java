package dev.spotkeeper.core.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.ManualClock;
import dev.spotkeeper.core.SpotkeeperException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingPlacementScoreSourceTest {
    private final ManualClock clock = new ManualClock("2026-03-01T10:00:00Z");
    private final InMemorySignalSources sources = new InMemorySignalSources();
    private final CachingPlacementScoreSource cache = new CachingPlacementScoreSource(sources, clock);
    private final PlacementScoreRequest request = new PlacementScoreRequest(
            List.of("m5.large", "m5a.large", "m6i.large"), List.of("us-east-1"), 1, true);

    @BeforeEach
    void setUp() {
        sources.zones.add(new Zone("us-east-1", "us-east-1a", "use1-az4"));
        sources.scoreByAzId.put("use1-az4", 7);
    }

    @Test
    void scores_withinTtl_answersFromCache_andAfterTtl_asksAgain() {
        assertThat(cache.scores(request)).containsExactly(new PlacementScore("us-east-1", "use1-az4", 7));
        clock.advance(Duration.ofMinutes(9));
        sources.scoreByAzId.put("use1-az4", 2);

        assertThat(cache.scores(request)).containsExactly(new PlacementScore("us-east-1", "use1-az4", 7));
        assertThat(sources.scoreCalls).hasValue(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.scores(request)).containsExactly(new PlacementScore("us-east-1", "use1-az4", 2));
        assertThat(sources.scoreCalls).hasValue(2);
    }

    @Test
    void scores_keysOnTheRequestContent_notItsOrder() {
        cache.scores(request);
        cache.scores(new PlacementScoreRequest(List.of("m6i.large", "m5.large", "m5a.large"), List.of("us-east-1"), 1, true));
        assertThat(sources.scoreCalls).hasValue(1);

        cache.scores(new PlacementScoreRequest(List.of("m6i.large", "m5.large", "m5a.large"), List.of("us-east-1"), 2, true));
        assertThat(sources.scoreCalls).hasValue(2);
    }

    @Test
    void scores_doesNotKeepFailures() {
        sources.scoresFailure = SpotkeeperException.of(ErrorCode.THROTTLED, "slow down");
        assertThatThrownBy(() -> cache.scores(request)).isInstanceOf(SpotkeeperException.class);

        sources.scoresFailure = null;
        assertThat(cache.scores(request)).hasSize(1);
        assertThat(sources.scoreCalls).hasValue(2);
    }

    @Test
    void scores_countsHits() {
        cache.scores(request);
        cache.scores(request);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void persistent_sharesAnswersBetweenInstances_untilTheTtlPasses(@TempDir Path dir) {
        Path file = dir.resolve("placement-scores.json");
        CachingPlacementScoreSource.persistent(sources, clock, file).scores(request);
        sources.scoreByAzId.put("use1-az4", 3);
        clock.advance(Duration.ofMinutes(5));

        CachingPlacementScoreSource second = CachingPlacementScoreSource.persistent(sources, clock, file);
        assertThat(second.scores(request)).containsExactly(new PlacementScore("us-east-1", "use1-az4", 7));
        assertThat(sources.scoreCalls).hasValue(1);

        clock.advance(Duration.ofMinutes(5));
        CachingPlacementScoreSource third = CachingPlacementScoreSource.persistent(sources, clock, file);
        assertThat(third.scores(request)).containsExactly(new PlacementScore("us-east-1", "use1-az4", 3));
        assertThat(sources.scoreCalls).hasValue(2);
    }

    @Test
    void persistent_withADamagedFile_asksAgainAndRepairsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("placement-scores.json");
        Files.writeString(file, "{\"entries\": [ {\"instanceTypes\": 5 } ");

        assertThat(CachingPlacementScoreSource.persistent(sources, clock, file).scores(request)).hasSize(1);
        assertThat(sources.scoreCalls).hasValue(1);
        assertThat(CachingPlacementScoreSource.persistent(sources, clock, file).scores(request)).hasSize(1);
        assertThat(sources.scoreCalls).hasValue(1);
    }

    @Test
    void constructor_refusesATtlUnderTenMinutes() {
        assertThatThrownBy(() -> new CachingPlacementScoreSource(sources, clock, Duration.ofMinutes(5)))
                .hasMessageContaining("at least 10 minutes");
    }
}
