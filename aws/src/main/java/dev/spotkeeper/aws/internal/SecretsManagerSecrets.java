package dev.spotkeeper.aws.internal;

import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecretsPort;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Secrets Manager behind core's {@link SecretsPort}; an error names the secret, never its value. */
public final class SecretsManagerSecrets implements SecretsPort {
    private final SecretsManagerClient client;
    private final String endpoint;

    public SecretsManagerSecrets(SecretsManagerClient client, String endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    @Override
    public String secretString(String name) {
        try {
            String s = client.getSecretValue(b -> b.secretId(name)).secretString();
            if (s == null) {
                throw SpotkeeperException.invalidArgument("secret:" + name + " holds binary data; spotkeeper reads"
                        + " a secret's string value");
            }
            return s;
        } catch (ResourceNotFoundException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "secret:" + name + " does not exist in"
                    + " Secrets Manager; create it (aws secretsmanager create-secret --name " + name
                    + " --secret-string ...) or name another", e);
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, "SecretsManager", "GetSecretValue", endpoint);
        }
    }
}
