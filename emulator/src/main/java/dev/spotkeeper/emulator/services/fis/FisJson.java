package dev.spotkeeper.emulator.services.fis;

import dev.spotkeeper.emulator.services.fis.Experiment.ActionState;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Action;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Filter;
import dev.spotkeeper.emulator.services.fis.ExperimentTemplate.Target;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders templates and experiments in the FIS REST-JSON shapes (timestamps as epoch seconds). */
final class FisJson {
    private final String region;
    private final String accountId;

    FisJson(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    Map<String, Object> template(ExperimentTemplate t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("arn", "arn:aws:fis:" + region + ":" + accountId + ":experiment-template/" + t.id());
        json.put("description", t.description());
        json.put("targets", targets(t.targets()));
        json.put("actions", actions(t.actions(), null));
        json.put("stopConditions", t.stopConditions());
        json.put("creationTime", time(t.creationTime()));
        json.put("lastUpdateTime", time(t.creationTime()));
        json.put("roleArn", t.roleArn());
        json.put("tags", t.tags());
        return json;
    }

    Map<String, Object> templateSummary(ExperimentTemplate t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", t.id());
        json.put("arn", "arn:aws:fis:" + region + ":" + accountId + ":experiment-template/" + t.id());
        json.put("description", t.description());
        json.put("creationTime", time(t.creationTime()));
        json.put("lastUpdateTime", time(t.creationTime()));
        json.put("tags", t.tags());
        return json;
    }

    Map<String, Object> experiment(Experiment e) {
        synchronized (e) {
            Map<String, Object> json = summary(e);
            json.put("roleArn", e.template.roleArn());
            json.put("targets", targets(e.template.targets()));
            json.put("actions", actions(e.template.actions(), e));
            json.put("stopConditions", e.template.stopConditions());
            if (e.startTime != null) {
                json.put("startTime", time(e.startTime));
            }
            if (e.endTime != null) {
                json.put("endTime", time(e.endTime));
            }
            return json;
        }
    }

    Map<String, Object> summary(Experiment e) {
        synchronized (e) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", e.id);
            json.put("arn", "arn:aws:fis:" + region + ":" + accountId + ":experiment/" + e.id);
            json.put("experimentTemplateId", e.template.id());
            json.put("state", Map.of("status", e.status, "reason", e.reason));
            json.put("creationTime", time(e.creationTime));
            json.put("tags", e.tags);
            return json;
        }
    }

    private static Map<String, Object> targets(Map<String, Target> targets) {
        Map<String, Object> json = new LinkedHashMap<>();
        targets.forEach((name, t) -> {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("resourceType", t.resourceType());
            if (!t.resourceArns().isEmpty()) {
                target.put("resourceArns", t.resourceArns());
            }
            if (!t.resourceTags().isEmpty()) {
                target.put("resourceTags", t.resourceTags());
            }
            List<Object> filters = new ArrayList<>();
            for (Filter f : t.filters()) {
                filters.add(Map.of("path", f.path(), "values", f.values()));
            }
            target.put("filters", filters);
            target.put("selectionMode", t.selectionMode());
            target.put("parameters", t.parameters());
            json.put(name, target);
        });
        return json;
    }

    private static Map<String, Object> actions(Map<String, Action> actions, Experiment e) {
        Map<String, Object> json = new LinkedHashMap<>();
        actions.forEach((name, a) -> {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("actionId", a.actionId());
            action.put("description", a.description());
            action.put("parameters", a.parameters());
            action.put("targets", a.targets());
            action.put("startAfter", a.startAfter());
            if (e != null) {
                ActionState state = e.actions.get(name);
                action.put("state", Map.of("status", state.status, "reason", state.reason));
                if (state.startTime != null) {
                    action.put("startTime", time(state.startTime));
                }
                if (state.endTime != null) {
                    action.put("endTime", time(state.endTime));
                }
            }
            json.put(name, action);
        });
        return json;
    }

    /** REST-JSON timestamps are epoch seconds; BigDecimal keeps them out of scientific notation. */
    static BigDecimal time(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
