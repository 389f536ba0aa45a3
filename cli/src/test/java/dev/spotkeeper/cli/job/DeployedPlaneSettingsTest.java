package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.plane.PlaneSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the commands take from the deployed stack's outputs (ServerlessJobTest finds the stack end to end). */
class DeployedPlaneSettingsTest {
    private final PlaneSettings resident = PlaneSettings.aws("eu-west-1", Optional.of("ops"),
            new PlaneSettings.Agent.Upload(Path.of("spotkeeper-agent.jar"), Optional.empty()));

    @Test
    void theStacksTableQueueAndTemplate_replaceTheDefaults_andNothingIsCreatedOrUploaded() {
        PlaneSettings on = AwsBackend.onStack(resident, Map.of("StateTableName", "spotkeeper-StateTable-1X2Y",
                "EventQueueUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/spotkeeper-EventQueue-9Z",
                "AgentLaunchTemplateName", "spotkeeper-agent", "ArtifactsBucketName", "spotkeeper-artifacts-a1"));
        assertThat(resident.table()).isEqualTo(PlaneSettings.DEFAULT_TABLE);
        assertThat(on.table()).isEqualTo("spotkeeper-StateTable-1X2Y");
        assertThat(on.queueUrl()).contains("https://sqs.eu-west-1.amazonaws.com/123456789012/spotkeeper-EventQueue-9Z");
        assertThat(on.createMissing()).isFalse();
        assertThat(on.launchTemplate()).contains("spotkeeper-agent");
        assertThat(on.agent()).isInstanceOf(PlaneSettings.Agent.InImage.class);
        assertThat(on.profile()).contains("ops");
        assertThat(on.region()).isEqualTo("eu-west-1");
    }

    @Test
    void aStackWithoutTheTablesOutput_isRefusedWithWhatToDo() {
        assertThatThrownBy(() -> AwsBackend.onStack(resident, Map.of("EventQueueUrl",
                "https://sqs.eu-west-1.amazonaws.com/123456789012/q")))
                .isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("has no output StateTableName")
                .hasMessageContaining("spotkeeper deploy")
                .hasMessageContaining("SPOTKEEPER_TABLE");
    }
}
