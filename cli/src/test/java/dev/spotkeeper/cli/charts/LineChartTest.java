package dev.spotkeeper.cli.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineChartTest {
    private static final boolean[] FILLED = {false, false, false};

    @Test
    void seriesAboveTheScale_isNamedInANote_andTheRestKeepTheirScale() {
        String svg = new LineChart("t", "x", "y", List.of("1", "2", "3"))
                .series("near", "#111111", new double[] {1.0, 1.04, 1.2}, FILLED)
                .series("far", "#222222", new double[] {3.2, 3.3, 3.1}, FILLED)
                .scaleTop(2.0).toSvg();
        assertThat(svg).contains("above the scale: far (3.10–3.30)").contains("stroke=\"#111111\"")
                .doesNotContain("stroke=\"#222222\"");
    }

    @Test
    void everySeriesAboveTheScale_isDrawnRatherThanNothing() {
        String svg = new LineChart("t", "x", "y", List.of("1", "2", "3"))
                .series("far", "#222222", new double[] {3.2, 3.3, 3.1}, new boolean[] {false, true, false})
                .scaleTop(2.0).toSvg();
        assertThat(svg).contains("stroke=\"#222222\"").doesNotContain("above the scale")
                .as("a point with misses is an open circle").contains("fill=\"white\" stroke=\"#222222\"");
    }
}
