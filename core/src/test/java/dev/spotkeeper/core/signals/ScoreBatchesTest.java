package dev.spotkeeper.core.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreBatchesTest {
    private static List<InstanceType> types(String... names) {
        List<InstanceType> out = new ArrayList<>();
        for (String n : names) {
            out.add(ShippedMarket.catalog().require(n));
        }
        return out;
    }

    @Test
    void of_neverMakesABatchUnderThree_andCoversEveryType() {
        List<InstanceType> all = new ArrayList<>(ShippedMarket.catalog().names().stream().limit(40)
                .map(n -> ShippedMarket.catalog().require(n)).toList());
        for (int n = 3; n <= all.size(); n++) {
            for (int max = 3; max <= 10; max++) {
                List<List<String>> batches = ScoreBatches.of(all.subList(0, n), max);
                int total = 0;
                for (List<String> b : batches) {
                    assertThat(b.size()).isGreaterThanOrEqualTo(3);
                    total += b.size();
                }
                assertThat(total).isEqualTo(n);
            }
        }
    }

    @Test
    void of_groupsSimilarSizes() {
        List<List<String>> batches = ScoreBatches.of(
                types("m5.4xlarge", "m5.large", "c5.4xlarge", "c5.large", "r5.4xlarge", "r5.large"), 3);
        assertThat(batches).containsExactly(List.of("c5.large", "m5.large", "r5.large"),
                List.of("c5.4xlarge", "m5.4xlarge", "r5.4xlarge"));
    }

    @Test
    void of_withFewerThanThreeTypes_isEmpty() {
        assertThat(ScoreBatches.of(types("m5.large", "c5.large"), 5)).isEmpty();
    }

    @Test
    void request_refusesFewerThanThreeTypes_andSortsForEquality() {
        assertThatThrownBy(() -> new PlacementScoreRequest(List.of("a", "b"), List.of("us-east-1"), 1, true))
                .hasMessageContaining("at least 3");
        assertThat(new PlacementScoreRequest(List.of("c", "a", "b"), List.of("r2", "r1"), 1, true))
                .isEqualTo(new PlacementScoreRequest(List.of("a", "b", "c", "a"), List.of("r1", "r2"), 1, true));
    }
}
