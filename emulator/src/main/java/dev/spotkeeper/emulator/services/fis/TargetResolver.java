package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Filter;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Target;
import dev.spotkeeper.emulator.spi.InstanceControl.InstanceView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves a target to instance ids as FIS does: by ARN or tags, then filters, then the selection mode. */
final class TargetResolver {
    private static final Pattern COUNT = Pattern.compile("COUNT\\((\\d+)\\)");
    private static final Pattern PERCENT = Pattern.compile("PERCENT\\((\\d+)\\)");

    private TargetResolver() {
    }

    static List<String> resolve(Target target, List<InstanceView> instances, Random random) {
        Set<String> arnIds = Set.copyOf(target.resourceArns().stream()
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1)).toList());
        List<String> matched = new ArrayList<>();
        for (InstanceView instance : instances) {
            boolean named = target.resourceArns().isEmpty()
                    ? instance.tags().entrySet().containsAll(target.resourceTags().entrySet())
                    : arnIds.contains(instance.instanceId());
            boolean ofType = instance.spot() || !target.resourceType().equals(TemplateParser.SPOT_INSTANCE);
            if (named && ofType && target.filters().stream().allMatch(f -> matches(f, instance))) {
                matched.add(instance.instanceId());
            }
        }
        Collections.sort(matched);
        Collections.shuffle(matched, random);
        int count = selected(target.selectionMode(), matched.size());
        List<String> chosen = new ArrayList<>(matched.subList(0, count));
        Collections.sort(chosen);
        return chosen;
    }

    private static int selected(String mode, int available) {
        Matcher count = COUNT.matcher(mode);
        if (count.matches()) {
            return Math.min(available, Integer.parseInt(count.group(1)));
        }
        Matcher percent = PERCENT.matcher(mode);
        if (percent.matches()) {
            // Rounded up, so PERCENT(n) of a non-empty match never selects nothing.
            return (int) Math.ceil(available * Integer.parseInt(percent.group(1)) / 100.0);
        }
        return available;
    }

    private static boolean matches(Filter filter, InstanceView instance) {
        String value = switch (filter.path()) {
            case "State.Name" -> instance.state();
            case "Placement.AvailabilityZone" -> instance.availabilityZone();
            case "InstanceType" -> instance.instanceType();
            default -> null;
        };
        return value != null && filter.values().contains(value);
    }
}
