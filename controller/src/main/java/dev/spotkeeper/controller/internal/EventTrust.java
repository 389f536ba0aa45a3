package dev.spotkeeper.controller.internal;

import dev.spotkeeper.core.event.Envelope;
import dev.spotkeeper.core.event.EventTypes;
import dev.spotkeeper.core.event.InstanceArn;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.store.InstanceRecord;
import java.util.Optional;

/**
 * Whether an event about one of our instances may be believed. Anyone who can send to the queue can forge an
 * interruption warning, and hand-made test events often name another account, region or instance in their envelope:
 * an event whose {@code account} is not the control plane's, whose {@code region} is not the instance's, or whose
 * {@code resources} are not well-formed ARNs of this very instance is ignored with the reason. The key stays
 * {@code detail.instance-id}; the envelope only has to agree with it. Agent reports are checked the same way where
 * they carry these fields (an agent without instance metadata knows no account).
 */
public final class EventTrust {
    private final String account;

    /** @param account the control plane's account; empty when unknown, and then accounts are not checked */
    public EventTrust(String account) {
        this.account = account;
    }

    /** Why the event is not believed, or empty when it is. */
    public Optional<String> distrust(SpotEvent event, Envelope envelope, InstanceRecord instance) {
        boolean agent = EventTypes.SOURCE_AGENT.equals(envelope.source());
        String region = Moves.region(instance);
        if (!account.isEmpty() && !envelope.account().equals(account) && !(agent && envelope.account().isEmpty())) {
            return Optional.of("its account '" + envelope.account() + "' is not this control plane's (" + account + ")");
        }
        if (!envelope.region().equals(region) && !(agent && envelope.region().isEmpty())) {
            return Optional.of("its region '" + envelope.region() + "' is not the instance's (" + region + ")");
        }
        if (EventTypes.SOURCE_AUTOSCALING.equals(envelope.source())) {
            return Optional.empty(); // its resources name the Auto Scaling group, not the instance
        }
        for (String resource : envelope.resources()) {
            if (EventTypes.SOURCE_HEALTH.equals(envelope.source()) && resource.equals(event.instanceId())) {
                continue; // AWS Health may name the instance by its id
            }
            Optional<String> wrong = wrongArn(resource, event.instanceId(), region, envelope.account());
            if (wrong.isPresent()) {
                return wrong;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> wrongArn(String resource, String instanceId, String region, String eventAccount) {
        Optional<InstanceArn> parsed = InstanceArn.parse(resource);
        if (parsed.isEmpty()) {
            return Optional.of("its resource '" + resource + "' is not an EC2 instance ARN (arn:aws:ec2:<region>:"
                    + "<account>:instance/<instance-id>)");
        }
        InstanceArn arn = parsed.get();
        if (!arn.instanceId().equals(instanceId)) {
            return Optional.of("its resource " + resource + " names another instance than detail.instance-id "
                    + instanceId);
        }
        if (!arn.region().equals(region)) {
            return Optional.of("its resource " + resource + " names region " + arn.region() + ", the instance is in "
                    + region);
        }
        if (!arn.account().equals(eventAccount)) {
            return Optional.of("its resource " + resource + " names account '" + arn.account() + "', the event '"
                    + eventAccount + "'");
        }
        return Optional.empty();
    }
}
