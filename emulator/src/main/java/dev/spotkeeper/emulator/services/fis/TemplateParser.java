package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Action;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Filter;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a CreateExperimentTemplate request the way FIS does for the actions the emulator runs (see the FIS
 * actions reference): {@code aws:ec2:send-spot-instance-interruptions} (target type {@code aws:ec2:spot-instance}
 * under the key {@code SpotInstances}, {@code durationBeforeInterruption} from PT2M to PT15M, at most five
 * instances) and {@code aws:ec2:terminate-instances} (target type {@code aws:ec2:instance} under the key
 * {@code Instances}, no parameters).
 */
final class TemplateParser {
    static final String SPOT_INTERRUPTION = "aws:ec2:send-spot-instance-interruptions";
    static final String TERMINATE = "aws:ec2:terminate-instances";
    static final String SPOT_INSTANCE = "aws:ec2:spot-instance";
    static final String INSTANCE = "aws:ec2:instance";
    static final String DURATION = "durationBeforeInterruption";
    /** Per action: the key of its target in {@code targets}, and the resource type that target must have. */
    private static final Map<String, List<String>> TARGETS = Map.of(
            SPOT_INTERRUPTION, List.of("SpotInstances", SPOT_INSTANCE),
            TERMINATE, List.of("Instances", INSTANCE));
    static final int MAX_INSTANCES = 5;
    static final Set<String> FILTER_PATHS = Set.of("State.Name", "Placement.AvailabilityZone", "InstanceType");
    private static final Pattern SELECTION = Pattern.compile("ALL|COUNT\\((\\d+)\\)|PERCENT\\((\\d+)\\)");
    private static final Pattern INSTANCE_ARN = Pattern.compile("arn:aws[a-z-]*:ec2:[^:]*:[^:]*:instance/(i-[0-9a-zA-Z]+)");

    private TemplateParser() {
    }

    static ExperimentTemplate parse(String id, Map<String, Object> body, Instant now) {
        Map<String, Object> targetsJson = JsonFields.object(body, "targets", "request");
        Map<String, Target> targets = new LinkedHashMap<>();
        targetsJson.forEach((name, value) -> targets.put(name, target(name, JsonFields.asObject(value, "targets." + name))));
        Map<String, Object> actionsJson = JsonFields.object(body, "actions", "request");
        if (actionsJson.isEmpty()) {
            throw FisException.validation("An experiment template needs at least one action in 'actions', e.g. "
                    + "{\"interrupt\": {\"actionId\": \"" + SPOT_INTERRUPTION + "\", ...}}");
        }
        Map<String, Action> actions = new LinkedHashMap<>();
        actionsJson.forEach((name, value) -> actions.put(name,
                action(name, JsonFields.asObject(value, "actions." + name), targets)));
        List<Map<String, Object>> stopConditions = new ArrayList<>();
        for (Object condition : JsonFields.list(body, "stopConditions")) {
            stopConditions.add(JsonFields.asObject(condition, "stopConditions[]"));
        }
        return new ExperimentTemplate(id, JsonFields.string(body, "description", ""), targets, actions,
                stopConditions, JsonFields.string(body, "roleArn", ""), JsonFields.stringMap(body, "tags"), now);
    }

    private static Target target(String name, Map<String, Object> json) {
        String where = "target '" + name + "'";
        String type = JsonFields.string(json, "resourceType", null);
        if (!SPOT_INSTANCE.equals(type) && !INSTANCE.equals(type)) {
            throw FisException.validation(where + " has resourceType " + (type == null ? "(none)" : "'" + type + "'")
                    + "; the emulator runs " + SPOT_INTERRUPTION + ", whose targets are '" + SPOT_INSTANCE + "', and "
                    + TERMINATE + ", whose targets are '" + INSTANCE + "'");
        }
        List<String> arns = new ArrayList<>();
        for (Object arn : JsonFields.list(json, "resourceArns")) {
            if (!(arn instanceof String s) || !INSTANCE_ARN.matcher(s).matches()) {
                throw FisException.validation(where + ": '" + arn + "' is not an instance ARN such as "
                        + "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0");
            }
            arns.add((String) arn);
        }
        Map<String, String> tags = JsonFields.stringMap(json, "resourceTags");
        if (arns.isEmpty() == tags.isEmpty()) {
            throw FisException.validation(where + " must name its instances with exactly one of resourceArns or "
                    + "resourceTags");
        }
        if (arns.size() > MAX_INSTANCES) {
            throw FisException.validation(where + " lists " + arns.size() + " instances; " + SPOT_INTERRUPTION
                    + " interrupts at most " + MAX_INSTANCES + " per target");
        }
        String selection = JsonFields.string(json, "selectionMode", null);
        checkSelection(where, selection);
        List<Filter> filters = new ArrayList<>();
        for (Object f : JsonFields.list(json, "filters")) {
            Map<String, Object> filter = JsonFields.asObject(f, where + " filter");
            String path = JsonFields.string(filter, "path", null);
            if (path == null || !FILTER_PATHS.contains(path)) {
                throw FisException.validation(where + " has filter path '" + path + "'; the emulator supports "
                        + FILTER_PATHS);
            }
            List<String> values = new ArrayList<>();
            for (Object v : JsonFields.list(filter, "values")) {
                values.add(String.valueOf(v));
            }
            filters.add(new Filter(path, values));
        }
        return new Target(type, arns, tags, filters, selection, JsonFields.stringMap(json, "parameters"));
    }

    private static void checkSelection(String where, String selection) {
        Matcher m = selection == null ? null : SELECTION.matcher(selection);
        if (m == null || !m.matches()) {
            throw FisException.validation(where + " has selectionMode " + (selection == null ? "(none)" : "'" + selection + "'")
                    + "; use ALL, COUNT(n) or PERCENT(n)");
        }
        if (m.group(1) != null) {
            long n = Long.parseLong(m.group(1));
            if (n < 1 || n > MAX_INSTANCES) {
                throw FisException.validation(where + " selects COUNT(" + n + "); " + SPOT_INTERRUPTION
                        + " interrupts 1 to " + MAX_INSTANCES + " instances per target");
            }
        }
        if (m.group(2) != null) {
            long p = Long.parseLong(m.group(2));
            if (p < 1 || p > 100) {
                throw FisException.validation(where + " selects PERCENT(" + p + "); use 1 to 100");
            }
        }
    }

    private static Action action(String name, Map<String, Object> json, Map<String, Target> targets) {
        String where = "action '" + name + "'";
        String actionId = JsonFields.string(json, "actionId", null);
        if (!TARGETS.containsKey(actionId)) {
            throw FisException.validation(where + " has actionId " + (actionId == null ? "(none)" : "'" + actionId + "'")
                    + "; the emulator supports " + SPOT_INTERRUPTION + " and " + TERMINATE);
        }
        Map<String, String> parameters = JsonFields.stringMap(json, "parameters");
        for (String key : parameters.keySet()) {
            if (!actionId.equals(SPOT_INTERRUPTION) || !key.equals(DURATION)) {
                throw FisException.validation(where + " has unknown parameter '" + key + "'; " + actionId
                        + (actionId.equals(SPOT_INTERRUPTION) ? " takes only " + DURATION : " takes none"));
            }
        }
        durationOf(parameters);
        String key = TARGETS.get(actionId).get(0);
        String resourceType = TARGETS.get(actionId).get(1);
        Map<String, String> actionTargets = JsonFields.stringMap(json, "targets");
        if (!actionTargets.keySet().equals(Set.of(key))) {
            throw FisException.validation(where + " must have targets {\"" + key + "\": \"<target name>\"}");
        }
        String targetName = actionTargets.get(key);
        if (!targets.containsKey(targetName)) {
            throw FisException.validation(where + " refers to target '" + targetName + "', which the template does "
                    + "not define; defined targets: " + targets.keySet());
        }
        if (!targets.get(targetName).resourceType().equals(resourceType)) {
            throw FisException.validation(where + " (" + actionId + ") needs a target of resourceType '" + resourceType
                    + "', but target '" + targetName + "' is '" + targets.get(targetName).resourceType() + "'");
        }
        List<String> startAfter = new ArrayList<>();
        for (Object s : JsonFields.list(json, "startAfter")) {
            startAfter.add(String.valueOf(s));
        }
        return new Action(actionId, JsonFields.string(json, "description", ""), parameters, actionTargets, startAfter);
    }

    /** The name of the target an action acts on. */
    static String targetOf(Action action) {
        return action.targets().get(TARGETS.get(action.actionId()).get(0));
    }

    /** The action's {@code durationBeforeInterruption}, PT2M when absent. */
    static Duration durationOf(Map<String, String> parameters) {
        String text = parameters.getOrDefault(DURATION, "PT2M");
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw FisException.validation(DURATION + " '" + text + "' is not an ISO-8601 duration such as PT2M");
        }
        if (duration.compareTo(Duration.ofMinutes(2)) < 0 || duration.compareTo(Duration.ofMinutes(15)) > 0) {
            throw FisException.validation(DURATION + " " + text + " is out of range; use PT2M to PT15M");
        }
        return duration;
    }
}
