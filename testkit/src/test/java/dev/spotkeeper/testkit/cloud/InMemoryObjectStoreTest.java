package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.checkpoint.ObjectStore;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}
