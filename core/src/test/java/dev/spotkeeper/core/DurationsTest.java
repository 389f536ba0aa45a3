package dev.spotkeeper.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
            "90s = PT1M30S",
            "30m = PT30M",
            "2h = PT2H",
            "1d = PT24H",
            "1h30m = PT1H30M",
            "1h 30m = PT1H30M",
            "1d2h3m4s = PT26H3M4S",
            "1.5h = PT1H30M",
            "0.5s = PT0.5S",
            "0s = PT0S",
            "0 = PT0S",
            "' 5M ' = PT5M",
            "PT5M = PT5M",
            "pt2h = PT2H",
            "P1DT2H = PT26H",
    })
    void acceptedForms(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "two hours", "5", "5 minutes", "m5", "30m1h", "1h1h", "5ms", "1,5h", "-5m", "1.h"})
    void refusedForms_sayWhatToWrite(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(Durations.InvalidDuration.class)
                .hasMessage("must be a duration like 90s, 30m, 2h, 1d or 1h30m; was '" + text + "'");
    }

    @Test
    void isoForms_thatAreNotIso_orNegative_areRefused() {
        assertThatThrownBy(() -> Durations.parse("PT5X")).isInstanceOf(Durations.InvalidDuration.class)
                .hasMessage("is not an ISO-8601 duration: 'PT5X'");
        assertThatThrownBy(() -> Durations.parse("PT-5M")).isInstanceOf(Durations.InvalidDuration.class)
                .hasMessage("must not be negative; was 'PT-5M'");
        assertThatThrownBy(() -> Durations.parse("-PT5M")).isInstanceOf(Durations.InvalidDuration.class)
                .hasMessage("must not be negative; was '-PT5M'");
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(Durations.InvalidDuration.class);
    }

    @Test
    void named_isTheUsersMistake_withTheNameFirst() {
        assertThat(Durations.parse("--every", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> Durations.parse("--every", "often")).isInstanceOfSatisfying(SpotkeeperException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo("--every must be a duration like 90s, 30m, 2h, 1d or 1h30m; was 'often'");
        });
    }
}
