package dev.spotkeeper.aws.contract;

import dev.spotkeeper.core.signals.SpotPrice;
import dev.spotkeeper.testkit.signals.InMemoryMarketSignals;

/** The in-memory sources that other modules' tests use must keep the same promises as the EC2 ones. */
class InMemorySignalSourcesTest extends SignalSourcesContract {
    @Override
    protected Sources create() {
        InMemoryMarketSignals memory = new InMemoryMarketSignals();
        ZONES.forEach(z -> memory.zone(z[0], z[1], z[2]));
        SCORES.forEach(s -> memory.score(s[0], Integer.parseInt(s[1])));
        PRICES.forEach(p -> memory.price(new SpotPrice(p.region(), p.azName(), p.type(), Double.parseDouble(p.price()), p.time())));
        return new Sources(memory, memory, memory);
    }
}
