package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.cloud.SecretStorePort;

class InMemorySecretStoreTest extends SecretStoreContract {
    @Override
    protected SecretStorePort store() {
        return new InMemorySecretStore();
    }
}
