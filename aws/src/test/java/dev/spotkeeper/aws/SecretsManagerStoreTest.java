package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.awsclient.SecretsManagerStore;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecretStorePort;
import dev.spotkeeper.emulator.services.ServicesOptions;
import dev.spotkeeper.emulator.services.secrets.SecretsManagerComponent;
import dev.spotkeeper.testkit.cloud.SecretStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Secrets Manager adapter against the emulator's Secrets Manager, behind the edge. */
class SecretsManagerStoreTest extends SecretStoreContract {
    private static EmulatedAws aws;
    private static SecretsManagerStore store;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64, new SecretsManagerComponent(ServicesOptions.defaults()));
        store = new SecretsManagerStore(aws.settings.client(EmulatedAws.REGION));
    }

    @AfterAll
    static void stop() {
        store.close();
        aws.close();
    }

    @Override
    protected SecretStorePort store() {
        return store;
    }

    @Test
    void anUnreachableEndpoint_isUnavailable_andNamesTheEndpointButNoValue() {
        try (SecretsManagerStore dead = new SecretsManagerStore(AwsSettings.defaults()
                .withEndpoint(java.net.URI.create("http://127.0.0.1:9"))
                .withCredentials(aws.settings.client(EmulatedAws.REGION).credentials()).client(EmulatedAws.REGION))) {
            assertThatThrownBy(() -> dead.create("spotkeeper/x/root", "do-not-print-me"))
                    .isInstanceOfSatisfying(SpotkeeperException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("127.0.0.1:9").hasMessageNotContaining("do-not-print-me");
        }
    }
}
