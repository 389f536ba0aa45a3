package dev.spotkeeper.cli.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BarChartTest {
    private static final Pattern GOAL_LABEL = Pattern.compile("<text x=\"([0-9.]+)\" y=\"\\d+\" fill=\"#E45756\" text-anchor=\"(\\w+)\">");

    @Test
    void goalLabel_nearTheRightEdge_endsAtTheLine_soItStaysInTheImage() {
        String svg = new BarChart("t", "s").bar("a", 13).bar("b", 5).goal(10, "goal: a long label of the goal").toSvg();

        Matcher m = GOAL_LABEL.matcher(svg);
        assertThat(m.find()).as(svg).isTrue();
        assertThat(m.group(2)).isEqualTo("end");
    }

    @Test
    void goalLabel_onTheLeft_startsAtTheLine() {
        String svg = new BarChart("t", "s").bar("a", 100).goal(10, "goal").toSvg();

        Matcher m = GOAL_LABEL.matcher(svg);
        assertThat(m.find()).as(svg).isTrue();
        assertThat(m.group(2)).isEqualTo("start");
    }
}
