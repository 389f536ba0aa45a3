package dev.spotkeeper.emulator.ec2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpotRequestTest {
    private static final Instant NOW = Instant.parse("2026-03-01T11:00:00Z");

    @Test
    void aHoldingCode_afterACancel_leavesTheCancelsStatus() {
        // The evaluation's launch failed (price too low) while a cancel came in: the cancel's status stays.
        SpotRequest r = SpotRequest.open("sir-0a", null, 0.0001, null, NOW);
        r.status("cancelled", "canceled-before-fulfillment", "Spot Instance request is canceled.", NOW);

        r.status(null, "price-too-low", "Your Spot request price is lower than the Spot price.", NOW.plusSeconds(1));

        assertThat(r.state).isEqualTo("cancelled");
        assertThat(r.statusCode).isEqualTo("canceled-before-fulfillment");
        assertThat(r.statusTime).isEqualTo(NOW);
    }

    @Test
    void aHoldingCode_ofAnOpenRequest_isShown() {
        SpotRequest r = SpotRequest.open("sir-0b", null, 0.0001, null, NOW);

        r.status(null, "price-too-low", "Your Spot request price is lower than the Spot price.", NOW.plusSeconds(1));

        assertThat(r.state).isEqualTo("open");
        assertThat(r.statusCode).isEqualTo("price-too-low");
    }
}
