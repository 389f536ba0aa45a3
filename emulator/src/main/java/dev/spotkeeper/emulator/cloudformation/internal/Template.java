package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.core.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed CloudFormation template (JSON): its parameters, conditions, rules, resources in dependency order and
 * outputs. Refused as CloudFormation refuses it: not JSON, no resources, a resource without a type, a reference to
 * nothing, a dependency cycle.
 */
final class Template {
    /** One resource as the template declares it. */
    record Resource(String logicalId, String type, Map<String, Object> properties, Set<String> dependsOn,
                    String condition, String deletionPolicy) {
    }

    private static final Set<String> PSEUDO = Set.of("AWS::Region", "AWS::AccountId", "AWS::Partition",
            "AWS::StackName", "AWS::StackId", "AWS::URLSuffix", "AWS::NoValue", "AWS::NotificationARNs");

    final String body;
    final String description;
    final Map<String, Map<String, Object>> parameters;
    final Map<String, Object> conditions;
    final Map<String, Object> rules;
    final Map<String, Resource> resources;
    final List<String> order;
    final Map<String, Object> outputs;

    private Template(String body, String description, Map<String, Map<String, Object>> parameters,
                     Map<String, Object> conditions, Map<String, Object> rules, Map<String, Resource> resources,
                     List<String> order, Map<String, Object> outputs) {
        this.body = body;
        this.description = description;
        this.parameters = parameters;
        this.conditions = conditions;
        this.rules = rules;
        this.resources = resources;
        this.order = order;
        this.outputs = outputs;
    }

    static Template parse(String body) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(body);
        } catch (RuntimeException e) {
            throw new TemplateError("Template format error: JSON not well-formed. (" + e.getMessage()
                    + "; the emulator reads JSON templates, as `cdk synth` writes them)");
        }
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        map(root.get("Parameters"), "Parameters").forEach((k, v) -> parameters.put(k, map(v, "Parameters." + k)));
        Map<String, Object> resourceMap = map(root.get("Resources"), "Resources");
        if (resourceMap.isEmpty()) {
            throw new TemplateError("Template format error: At least one Resources member must be defined.");
        }
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : resourceMap.entrySet()) {
            Map<String, Object> r = map(e.getValue(), "Resources." + e.getKey());
            if (!(r.get("Type") instanceof String type) || type.isBlank()) {
                throw new TemplateError("Template format error: [/Resources/" + e.getKey()
                        + "] Every Resources object must contain a Type member.");
            }
            Set<String> dependsOn = new LinkedHashSet<>();
            Object d = r.get("DependsOn");
            if (d instanceof String s) {
                dependsOn.add(s);
            } else if (d instanceof List<?> l) {
                l.forEach(x -> dependsOn.add(String.valueOf(x)));
            }
            Object policy = r.get("DeletionPolicy");
            resources.put(e.getKey(), new Resource(e.getKey(), type, map(r.get("Properties"), "Properties"),
                    dependsOn, r.get("Condition") instanceof String c ? c : null,
                    policy instanceof String p ? p : "Delete"));
        }
        Map<String, Object> outputs = map(root.get("Outputs"), "Outputs");
        Set<String> unresolved = new TreeSet<>();
        for (Resource r : resources.values()) {
            Set<String> refs = new LinkedHashSet<>(Intrinsics.references(r.properties()));
            refs.addAll(r.dependsOn());
            for (String ref : refs) {
                if (!resources.containsKey(ref) && !parameters.containsKey(ref) && !PSEUDO.contains(ref)) {
                    unresolved.add(ref);
                }
            }
        }
        for (String ref : Intrinsics.references(outputs)) {
            if (!resources.containsKey(ref) && !parameters.containsKey(ref) && !PSEUDO.contains(ref)) {
                unresolved.add(ref);
            }
        }
        if (!unresolved.isEmpty()) {
            throw new TemplateError("Template format error: Unresolved resource dependencies " + unresolved
                    + " in the Resources block of the template");
        }
        Object description = root.get("Description");
        return new Template(body, description instanceof String s ? s : null, parameters,
                map(root.get("Conditions"), "Conditions"), map(root.get("Rules"), "Rules"), resources,
                order(resources), outputs);
    }

    /** The resources a resource waits for: those it names in DependsOn, Ref, Fn::GetAtt or Fn::Sub. */
    Set<String> dependencies(String logicalId) {
        Resource r = resources.get(logicalId);
        Set<String> out = new LinkedHashSet<>(r.dependsOn());
        Intrinsics.references(r.properties()).stream().filter(resources::containsKey).forEach(out::add);
        return out;
    }

    private static List<String> order(Map<String, Resource> resources) {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (Resource r : resources.values()) {
            Set<String> d = new LinkedHashSet<>(r.dependsOn());
            Intrinsics.references(r.properties()).stream().filter(resources::containsKey).forEach(d::add);
            deps.put(r.logicalId(), d);
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String id : deps.keySet()) {
            visit(id, deps, done, visiting, order, new ArrayDeque<>());
        }
        return List.copyOf(order);
    }

    private static void visit(String id, Map<String, Set<String>> deps, Set<String> done, Set<String> visiting,
                              List<String> order, Deque<String> path) {
        if (done.contains(id)) {
            return;
        }
        if (!visiting.add(id)) {
            throw new TemplateError("Circular dependency between resources: " + new TreeSet<>(visiting));
        }
        path.push(id);
        for (String d : deps.get(id)) {
            visit(d, deps, done, visiting, order, path);
        }
        path.pop();
        visiting.remove(id);
        done.add(id);
        order.add(id);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String where) {
        if (v == null) {
            return new LinkedHashMap<>();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new TemplateError("Template format error: " + where + " must be an object");
        }
        return (Map<String, Object>) v;
    }
}
