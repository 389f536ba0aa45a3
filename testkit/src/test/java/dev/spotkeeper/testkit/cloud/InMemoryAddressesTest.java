package dev.spotkeeper.testkit.cloud;

import dev.spotkeeper.core.cloud.AddressPort;
import java.util.concurrent.atomic.AtomicInteger;

class InMemoryAddressesTest extends AddressPortContract {
    private final AddressPort addresses = new InMemoryAddresses();
    private final AtomicInteger instances = new AtomicInteger();

    @Override
    protected AddressPort addresses() {
        return addresses;
    }

    @Override
    protected String region() {
        return "us-east-1";
    }

    @Override
    protected String liveInstance() {
        return String.format("i-%017x", instances.incrementAndGet());
    }
}
