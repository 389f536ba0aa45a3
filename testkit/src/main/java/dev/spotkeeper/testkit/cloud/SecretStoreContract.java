package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.SecretStorePort;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link SecretStorePort} keeps; each test uses names of its own. */
public abstract class SecretStoreContract {
    private SecretStorePort store;
    private String prefix;

    protected abstract SecretStorePort store();

    @BeforeEach
    void fresh() {
        store = store();
        prefix = "spotkeeper/test-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @Test
    void create_thenValue_returnsIt_andAMissingNameIsEmpty() {
        assertThat(store.create(prefix + "root", "first-value")).isTrue();

        assertThat(store.value(prefix + "root")).hasValue("first-value");
        assertThat(store.value(prefix + "missing")).isEmpty();
    }

    @Test
    void create_ofAnExistingName_isFalse_andKeepsTheValue() {
        store.create(prefix + "root", "first-value");

        assertThat(store.create(prefix + "root", "second-value")).isFalse();
        assertThat(store.value(prefix + "root")).hasValue("first-value");
    }

    @Test
    void put_replacesTheValue_butNeedsTheSecretToExist() {
        store.create(prefix + "app", "one");

        store.put(prefix + "app", "two");

        assertThat(store.value(prefix + "app")).hasValue("two");
        assertThatThrownBy(() -> store.put(prefix + "absent", "x")).isInstanceOf(SpotkeeperException.class)
                .hasMessageNotContaining("x\"");
    }

    @Test
    void delete_removesAtOnce_andIsQuietForAMissingName() {
        store.create(prefix + "app", "one");

        store.delete(prefix + "app");
        store.delete(prefix + "never");

        assertThat(store.value(prefix + "app")).isEmpty();
        assertThat(store.create(prefix + "app", "again")).isTrue();
    }

    @Test
    void valueOrCreate_generatesOnlyWhenMissing() {
        AtomicInteger generated = new AtomicInteger();

        String first = store.valueOrCreate(prefix + "root", () -> "gen-" + generated.incrementAndGet());
        String second = store.valueOrCreate(prefix + "root", () -> "gen-" + generated.incrementAndGet());

        assertThat(first).isEqualTo("gen-1").isEqualTo(second);
        assertThat(generated).hasValue(1);
    }
}
