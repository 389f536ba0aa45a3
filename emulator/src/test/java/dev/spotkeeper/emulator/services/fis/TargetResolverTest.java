package dev.spotkeeper.emulator.services.fis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Filter;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Target;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TargetResolverTest {
    private static final List<InstanceView> FLEET = fleet();

    private static List<InstanceView> fleet() {
        List<InstanceView> fleet = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fleet.add(new InstanceView("i-" + i, "running", true, "eu-west-1" + (i % 2 == 0 ? "a" : "b"), "eu-west-1",
                    "m5.large", Map.of("group", "g")));
        }
        fleet.add(new InstanceView("i-od", "running", false, "eu-west-1a", "eu-west-1", "m5.large", Map.of("group", "g")));
        fleet.add(new InstanceView("i-stopped", "stopped", true, "eu-west-1a", "eu-west-1", "m5.large", Map.of("group", "g")));
        return fleet;
    }

    private static Target target(String selection, Filter... filters) {
        return new Target("aws:ec2:spot-instance", List.of(), Map.of("group", "g"), List.of(filters), selection, Map.of());
    }

    @Test
    void countSelection_isSeeded_andOnlyPicksRunningSpotInstances() {
        Target t = target("COUNT(3)", new Filter("State.Name", List.of("running")));
        List<String> first = TargetResolver.resolve(t, FLEET, new Random(5));
        assertThat(first).hasSize(3).doesNotContain("i-od", "i-stopped");
        assertThat(TargetResolver.resolve(t, FLEET, new Random(5))).isEqualTo(first);
    }

    @Test
    void percentSelection_roundsUp_andFiltersCombine() {
        Target t = target("PERCENT(30)", new Filter("State.Name", List.of("running")),
                new Filter("Placement.AvailabilityZone", List.of("eu-west-1b")));
        List<String> chosen = TargetResolver.resolve(t, FLEET, new Random(1));
        assertThat(chosen).hasSize(2).allMatch(id -> List.of("i-1", "i-3", "i-5", "i-7").contains(id));
    }

    @Test
    void groupTag_selectsAmongTheGroupsInstancesOnly() {
        List<InstanceView> mixed = new ArrayList<>(FLEET);
        for (int i = 0; i < 4; i++) {
            mixed.add(new InstanceView("i-web" + i, "running", true, "eu-west-1a", "eu-west-1", "m5.large",
                    Map.of("aws:autoscaling:groupName", "web")));
        }
        Target count = new Target(TemplateParser.SPOT_INSTANCE, List.of(), Map.of("aws:autoscaling:groupName", "web"),
                List.of(), "COUNT(2)", Map.of());
        assertThat(TargetResolver.resolve(count, mixed, new Random(3))).hasSize(2).allMatch(id -> id.startsWith("i-web"));
        Target percent = new Target(TemplateParser.SPOT_INSTANCE, List.of(), Map.of("aws:autoscaling:groupName", "web"),
                List.of(), "PERCENT(50)", Map.of());
        assertThat(TargetResolver.resolve(percent, mixed, new Random(3))).hasSize(2).allMatch(id -> id.startsWith("i-web"));
    }
}
