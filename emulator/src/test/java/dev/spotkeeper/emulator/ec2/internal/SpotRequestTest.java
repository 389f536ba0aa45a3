package dev.spotkeeper.emulator.ec2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpotRequestTest {
    private static final Instant NOW = Instant.parse("2026-03-01T11:00:00Z");

    @Test
    void aHoldingCode_ofAnOpenRequest_isShown() {
        SpotRequest r = SpotRequest.open("sir-0b", null, 0.0001, null, NOW);

        r.status(null, "price-too-low", "Your Spot request price is lower than the Spot price.", NOW.plusSeconds(1));

        assertThat(r.state).isEqualTo("open");
        assertThat(r.statusCode).isEqualTo("price-too-low");
    }

    @Test
    void anActiveRequest_showsThatItsInstanceIsMarkedForTermination() {
        SpotRequest r = SpotRequest.open("sir-0c", null, 0.05, null, NOW);
        r.fulfil("i-0abc", "us-east-1a", "use1-az1", NOW);

        r.status(null, "marked-for-termination", "Your Spot Instance is marked for termination.", NOW.plusSeconds(5));

        assertThat(r.state).isEqualTo("active");
        assertThat(r.statusCode).isEqualTo("marked-for-termination");
    }
}
