package dev.spotkeeper.emulator.services;

import dev.spotkeeper.emulator.autoscaling.AutoScalingComponent;
import dev.spotkeeper.emulator.cloudformation.CloudFormationComponent;
import dev.spotkeeper.emulator.elb.ElbComponent;
import dev.spotkeeper.emulator.services.events.EventDeliveryComponent;
import dev.spotkeeper.emulator.services.fis.FisComponent;
import dev.spotkeeper.emulator.services.lambda.LambdaComponent;
import dev.spotkeeper.emulator.services.sns.SnsComponent;
import dev.spotkeeper.emulator.services.secrets.SecretsManagerComponent;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import java.util.List;

/**
 * The emulator's service half in start order: S3, SQS, DynamoDB, event delivery (needs SQS; provides the
 * {@code CloudEventSink} and EventBridge), Lambda, FIS, SNS (needs SQS), Secrets Manager, Elastic Load Balancing v2
 * (its HAProxies start only with a first listener), Auto Scaling and CloudFormation (provisions onto the others).
 * Put these before the EC2 component so its events find the sink.
 */
public final class ServicesComponents {
    private ServicesComponents() {
    }

    public static List<EmulatorComponent> all(ServicesOptions options) {
        return List.of(new S3Component(options), new SqsComponent(options), new DynamoDbComponent(options.persistentDynamoDb()),
                new EventDeliveryComponent(options), new LambdaComponent(options), new FisComponent(options),
                new SnsComponent(options), new SecretsManagerComponent(options),
                new ElbComponent(options.accountId()), new AutoScalingComponent(options.accountId()),
                new CloudFormationComponent(options.accountId()));
    }
}
