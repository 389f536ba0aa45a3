package dev.spotkeeper.emulator.cloudformation;

import dev.spotkeeper.emulator.cloudformation.internal.CloudFormationActions;
import dev.spotkeeper.emulator.cloudformation.internal.StackService;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import java.util.List;

/**
 * AWS CloudFormation at the edge (signing name {@code cloudformation}, query API 2010-05-15): change sets, stacks,
 * their events and resources, provisioned onto the emulator's own DynamoDB, SQS, S3, SNS and EC2 through its edge;
 * EventBridge and Lambda resources through the {@link StackResourceProvider} another part provides, if any, and
 * every other type as a record (see docs/emulator-cloudformation.md). Start it after the services it provisions on.
 */
public final class CloudFormationComponent implements EmulatorComponent {
    private final String account;
    private StackService service;
    private String endpoint;

    public CloudFormationComponent(String account) {
        this.account = account;
    }

    @Override
    public void start(EmulatorContext context) {
        service = new StackService(context.clock(), account, context.endpoint(), context.seed() ^ 0x43464eL,
                () -> context.lookup(StackResourceProvider.class));
        context.register(new CloudFormationActions(service).handler());
        endpoint = context.endpoint().toString();
    }

    @Override
    public List<String> describe() {
        return List.of("CloudFormation: " + endpoint + " (query API " + CloudFormationActions.VERSION
                + "; change sets and stacks on the emulator's services; IAM recorded, not enforced)");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
