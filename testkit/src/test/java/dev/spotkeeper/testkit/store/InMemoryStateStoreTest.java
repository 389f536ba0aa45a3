package dev.spotkeeper.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.store.StateStore;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract {
    private final InMemoryStateStore store = new InMemoryStateStore();

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    void broken_failsWritesAndKeepsWhatWasStored() {
        assertThat(store.markProcessed("k")).isTrue();
        store.setBroken(true);

        assertThatThrownBy(() -> store.markProcessed("k2")).isInstanceOf(IllegalStateException.class);
        store.setBroken(false);
        assertThat(store.markProcessed("k")).isFalse();
        assertThat(store.markProcessed("k2")).isTrue();
    }
}
