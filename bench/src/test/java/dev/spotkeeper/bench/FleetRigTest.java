package dev.spotkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.workload.FleetExtension;
import dev.spotkeeper.core.workload.WorkloadKind;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.spec.yaml.YamlSpecs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The workload B7 submits to the controller: the rig's group, pools, health check, drain and server. */
class FleetRigTest {
    @Test
    void spec_isTheRigsFleet_withTheDrainAsked_andZeroForNoDrain() {
        WorkloadSpec spec = YamlSpecs.parse(FleetRig.NAME + ".yaml", FleetRig.spec(6, Duration.ofSeconds(120)));

        assertThat(spec.kind()).isEqualTo(WorkloadKind.FLEET);
        assertThat(spec.name()).isEqualTo(FleetRig.NAME);
        assertThat(spec.requirements().types()).containsExactlyInAnyOrderElementsOf(FleetRig.TYPES);
        assertThat(spec.requirements().zones()).containsExactlyInAnyOrderElementsOf(FleetRig.ZONES);
        assertThat(spec.requirements().regions()).containsExactly(FleetRig.REGION);
        FleetExtension f = (FleetExtension) spec.extension();
        assertThat(f.replicas()).isEqualTo(6);
        assertThat(f.placement().pools()).isEqualTo(4);
        assertThat(f.service().drain()).isEqualTo(Duration.ofSeconds(120));
        assertThat(f.service().healthCheck().path()).isEqualTo("/health");
        assertThat(f.run()).contains("exec python3 server.py \"$PORT\"");
        FleetExtension noDrain = (FleetExtension) YamlSpecs.parse(FleetRig.NAME + ".yaml",
                FleetRig.spec(3, Duration.ZERO)).extension();
        assertThat(noDrain.service().drain()).isZero();
        assertThat(noDrain.replicas()).isEqualTo(3);
    }
}
