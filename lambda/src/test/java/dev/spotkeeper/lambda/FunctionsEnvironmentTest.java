package dev.spotkeeper.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Where a function's environment variables come from, on Lambda and in the emulator's shared JVM. */
class FunctionsEnvironmentTest {
    /** A class loader that supplies its function's variables, as the emulator's Lambda runtime gives one. */
    private static final class SupplyingLoader extends ClassLoader implements Supplier<Map<String, String>> {
        @Override
        public Map<String, String> get() {
            return Map.of("SPOTKEEPER_TABLE", "table-of-this-function");
        }
    }

    @Test
    void aLoaderThatSuppliesVariables_givesThem_andAnyOtherLoaderGivesTheProcessEnvironment() {
        assertThat(Functions.environment(new SupplyingLoader())).containsExactly(
                Map.entry("SPOTKEEPER_TABLE", "table-of-this-function"));
        assertThat(Functions.environment(getClass().getClassLoader())).isEqualTo(System.getenv());
    }
}
