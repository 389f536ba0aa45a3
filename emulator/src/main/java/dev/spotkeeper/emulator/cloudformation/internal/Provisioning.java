package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.emulator.cloudformation.internal.Model.ChangeSet;
import dev.spotkeeper.emulator.cloudformation.internal.Model.Event;
import dev.spotkeeper.emulator.cloudformation.internal.Model.Stack;
import dev.spotkeeper.emulator.cloudformation.internal.Model.StackResource;
import dev.spotkeeper.emulator.spi.StackResourceProvider;
import dev.spotkeeper.emulator.spi.StackResourceProvider.Provisioned;
import dev.spotkeeper.emulator.spi.StackResourceProvider.Request;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Carries out a stack's change set or deletion, one resource at a time in dependency order, with CloudFormation's
 * statuses and events; a resource that fails rolls the stack back, its reason on the resource and the stack.
 */
final class Provisioning {
    private final Clock clock;
    private final String account;
    private final BuiltInResources builtIn;
    private final Supplier<Optional<StackResourceProvider>> others;

    Provisioning(Clock clock, String account, BuiltInResources builtIn,
                 Supplier<Optional<StackResourceProvider>> others) {
        this.clock = clock;
        this.account = account;
        this.builtIn = builtIn;
        this.others = others;
    }

    /** Creates or updates the stack as the change set says; runs on the service's worker. */
    void execute(Stack stack, ChangeSet changeSet, String region) {
        boolean create = changeSet.type.equals("CREATE");
        String prefix = create ? "CREATE" : "UPDATE";
        Template previous = stack.template;
        Map<String, String> previousParameters = stack.parameters;
        Map<String, StackResource> before = new LinkedHashMap<>();
        synchronized (stack) {
            stack.resources.forEach((k, v) -> before.put(k, copy(v)));
            stackStatus(stack, prefix + "_IN_PROGRESS", "User Initiated");
            stack.template = changeSet.template;
            stack.parameters = changeSet.parameters;
            stack.capabilities = changeSet.capabilities;
        }
        Scope scope = new Scope(stack, region, account);
        List<String> done = new ArrayList<>();
        List<StackResource> replaced = new ArrayList<>();
        String failed = null;
        for (String id : changeSet.template.order) {
            Template.Resource r = changeSet.template.resources.get(id);
            if (r.condition() != null && !scope.condition(r.condition())) {
                continue;
            }
            StackResource existing;
            synchronized (stack) {
                existing = stack.resources.get(id);
            }
            try {
                Map<String, Object> properties = resolve(r, scope);
                if (existing == null || !existing.type.equals(r.type())) {
                    create(stack, region, r, properties);
                    if (existing != null) {
                        replaced.add(existing);
                    }
                    done.add(id);
                } else if (!properties.equals(existing.properties)) {
                    update(stack, region, r, properties, existing, replaced);
                    done.add(id);
                }
            } catch (RuntimeException e) {
                failed = id;
                String reason = reason(e);
                synchronized (stack) {
                    StackResource res = stack.resources.computeIfAbsent(id, k -> new StackResource(k, r.type()));
                    resourceStatus(stack, res, prefix + "_FAILED", reason);
                }
                break;
            }
        }
        if (failed == null) {
            finish(stack, region, create, changeSet, replaced, scope);
        } else {
            rollback(stack, region, create, failed, done, before, previous, previousParameters);
        }
    }

    private void finish(Stack stack, String region, boolean create, ChangeSet changeSet, List<StackResource> replaced,
                        Scope scope) {
        Map<String, String> outputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> e : changeSet.template.outputs.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> o && o.containsKey("Value")) {
                    outputs.put(e.getKey(), Intrinsics.scalar(Intrinsics.resolve(o.get("Value"), scope), "Outputs"));
                }
            }
        } catch (RuntimeException e) {
            synchronized (stack) {
                stackStatus(stack, create ? "CREATE_FAILED" : "UPDATE_FAILED", reason(e));
            }
            return;
        }
        if (create) {
            synchronized (stack) {
                stack.outputs = outputs;
                stackStatus(stack, "CREATE_COMPLETE", null);
            }
            return;
        }
        synchronized (stack) {
            stack.outputs = outputs;
            stackStatus(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
        }
        List<StackResource> removals = new ArrayList<>(replaced);
        synchronized (stack) {
            List<String> ids = new ArrayList<>(stack.resources.keySet());
            for (int i = ids.size() - 1; i >= 0; i--) {
                if (!changeSet.template.resources.containsKey(ids.get(i))) {
                    removals.add(stack.resources.get(ids.get(i)));
                }
            }
        }
        for (StackResource r : removals) {
            delete(stack, region, r, "Delete", stack.resources.get(r.logicalId) == r);
        }
        synchronized (stack) {
            stackStatus(stack, "UPDATE_COMPLETE", null);
        }
    }

    private void rollback(Stack stack, String region, boolean create, String failed, List<String> done,
                          Map<String, StackResource> before, Template previous, Map<String, String> previousParameters) {
        String reason = "The following resource(s) failed to " + (create ? "create" : "update") + ": [" + failed
                + "]. Rollback requested by user.";
        synchronized (stack) {
            stackStatus(stack, create ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS", reason);
        }
        for (int i = done.size() - 1; i >= 0; i--) {
            StackResource current;
            synchronized (stack) {
                current = stack.resources.get(done.get(i));
            }
            StackResource old = before.get(done.get(i));
            if (old != null && old.physicalId() != null && old.physicalId().equals(current.physicalId())) {
                synchronized (stack) {
                    stack.resources.put(old.logicalId, old);
                    resourceStatus(stack, old, "UPDATE_COMPLETE", null);
                }
            } else {
                delete(stack, region, current, "Delete", old == null);
                if (old != null) {
                    synchronized (stack) {
                        stack.resources.put(old.logicalId, old);
                    }
                }
            }
        }
        synchronized (stack) {
            StackResource f = stack.resources.get(failed);
            if (f != null && f.provisioned == null) {
                if (before.containsKey(failed)) {
                    stack.resources.put(failed, before.get(failed));
                } else {
                    resourceStatus(stack, f, "DELETE_COMPLETE", null);
                    stack.resources.remove(failed);
                }
            }
            if (create) {
                stackStatus(stack, "ROLLBACK_COMPLETE", null);
            } else {
                stack.template = previous;
                stack.parameters = previousParameters;
                stackStatus(stack, "UPDATE_ROLLBACK_COMPLETE", null);
            }
        }
    }

    /** Deletes the stack's resources in reverse order; kept ones ({@code DeletionPolicy: Retain}, retained) skipped. */
    void delete(Stack stack, String region, List<String> retain) {
        List<StackResource> resources;
        synchronized (stack) {
            stackStatus(stack, "DELETE_IN_PROGRESS", "User Initiated");
            resources = new ArrayList<>(stack.resources.values());
        }
        List<String> failed = new ArrayList<>();
        for (int i = resources.size() - 1; i >= 0; i--) {
            StackResource r = resources.get(i);
            Template.Resource declared = stack.template == null ? null : stack.template.resources.get(r.logicalId);
            String policy = retain.contains(r.logicalId) ? "Retain" : declared == null ? "Delete"
                    : declared.deletionPolicy();
            if (!delete(stack, region, r, policy, true)) {
                failed.add(r.logicalId);
            }
        }
        synchronized (stack) {
            if (failed.isEmpty()) {
                stackStatus(stack, "DELETE_COMPLETE", null);
                stack.deleted = clock.instant();
            } else {
                stackStatus(stack, "DELETE_FAILED", "The following resource(s) failed to delete: " + failed + ". ");
            }
        }
    }

    private void create(Stack stack, String region, Template.Resource r, Map<String, Object> properties) {
        StackResource res = new StackResource(r.logicalId(), r.type());
        synchronized (stack) {
            resourceStatus(stack, res, "CREATE_IN_PROGRESS", null);
        }
        Provisioned p = provider(r.type()).create(request(stack, region, r.logicalId(), r.type(), properties));
        synchronized (stack) {
            res.provisioned = p;
            res.properties = properties;
            stack.resources.put(r.logicalId(), res);
            resourceStatus(stack, res, "CREATE_IN_PROGRESS", "Resource creation Initiated");
            resourceStatus(stack, res, "CREATE_COMPLETE", null);
        }
    }

    private void update(Stack stack, String region, Template.Resource r, Map<String, Object> properties,
                        StackResource existing, List<StackResource> replaced) {
        StackResource res = copy(existing);
        synchronized (stack) {
            resourceStatus(stack, res, "UPDATE_IN_PROGRESS", null);
        }
        Provisioned p = provider(r.type()).update(request(stack, region, r.logicalId(), r.type(), properties),
                existing.provisioned);
        if (!p.physicalId().equals(existing.physicalId())) {
            replaced.add(existing);
        }
        synchronized (stack) {
            res.provisioned = p;
            res.properties = properties;
            stack.resources.put(r.logicalId(), res);
            resourceStatus(stack, res, "UPDATE_COMPLETE", null);
        }
    }

    /** False when the resource could not be deleted (its reason is on its DELETE_FAILED event). */
    private boolean delete(Stack stack, String region, StackResource r, String policy, boolean forget) {
        if (r.provisioned == null) {
            return true;
        }
        if (policy.equals("Retain")) {
            synchronized (stack) {
                resourceStatus(stack, r, "DELETE_SKIPPED", null);
                if (forget) {
                    stack.resources.remove(r.logicalId);
                }
            }
            return true;
        }
        synchronized (stack) {
            resourceStatus(stack, r, "DELETE_IN_PROGRESS", null);
        }
        try {
            provider(r.type).delete(request(stack, region, r.logicalId, r.type, r.properties), r.provisioned);
        } catch (RuntimeException e) {
            synchronized (stack) {
                resourceStatus(stack, r, "DELETE_FAILED", reason(e));
            }
            return false;
        }
        synchronized (stack) {
            resourceStatus(stack, r, "DELETE_COMPLETE", null);
            if (forget) {
                stack.resources.remove(r.logicalId);
            }
        }
        return true;
    }

    private StackResourceProvider provider(String type) {
        if (BuiltInResources.served(type)) {
            return builtIn;
        }
        return others.get().filter(p -> p.provides(type)).orElse(builtIn);
    }

    private Request request(Stack stack, String region, String logicalId, String type, Map<String, Object> props) {
        return new Request(region, account, stack.name, logicalId, type, props);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(Template.Resource r, Scope scope) {
        return (Map<String, Object>) Intrinsics.resolve(r.properties(), scope);
    }

    private void stackStatus(Stack stack, String status, String reason) {
        if (!status.endsWith("_IN_PROGRESS")) {
            // The execution has ended: CloudFormation deletes a stack's change sets once one is executed, and they are
            // gone by the time a caller can see the end (the AWS CLI's `deploy` names its change set by the second, so
            // a redeploy right after a deploy reuses the name).
            synchronized (stack) {
                stack.changeSets.clear();
            }
        }
        stack.status = status;
        stack.reason = reason;
        if (!status.startsWith("CREATE") && !status.startsWith("ROLLBACK") && !status.startsWith("DELETE")) {
            stack.updated = clock.instant();
        }
        stack.events.add(new Event(UUID.randomUUID().toString(), stack.name, stack.id,
                "AWS::CloudFormation::Stack", clock.instant(), status, reason));
    }

    private void resourceStatus(Stack stack, StackResource r, String status, String reason) {
        r.status = status;
        r.reason = reason;
        r.timestamp = clock.instant();
        stack.events.add(new Event(r.logicalId + "-" + status + "-" + UUID.randomUUID(), r.logicalId,
                r.physicalId() == null ? "" : r.physicalId(), r.type, r.timestamp, status, reason));
    }

    private static StackResource copy(StackResource r) {
        StackResource c = new StackResource(r.logicalId, r.type);
        c.provisioned = r.provisioned;
        c.properties = r.properties;
        c.status = r.status;
        c.reason = r.reason;
        c.timestamp = r.timestamp;
        return c;
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** What a stack's intrinsics read while it is provisioned. */
    static final class Scope implements Intrinsics.Scope {
        private final Stack stack;
        private final String region;
        private final String account;

        Scope(Stack stack, String region, String account) {
            this.stack = stack;
            this.region = region;
            this.account = account;
        }

        @Override
        public Object ref(String name) {
            switch (name) {
                case "AWS::Region":
                    return region;
                case "AWS::AccountId":
                    return account;
                case "AWS::Partition":
                    return "aws";
                case "AWS::URLSuffix":
                    return "amazonaws.com";
                case "AWS::StackName":
                    return stack.name;
                case "AWS::StackId":
                    return stack.id;
                case "AWS::NotificationARNs":
                    return new ArrayList<>();
                default:
                    break;
            }
            synchronized (stack) {
                if (stack.template.parameters.containsKey(name)) {
                    return Parameters.value(stack.template.parameters.get(name), stack.parameters.get(name));
                }
                StackResource r = stack.resources.get(name);
                if (r == null || r.provisioned == null) {
                    throw new TemplateError("Template error: instance of " + name + " is not created");
                }
                return r.physicalId();
            }
        }

        @Override
        public Object getAtt(String logicalId, String attribute) {
            synchronized (stack) {
                StackResource r = stack.resources.get(logicalId);
                if (r == null || r.provisioned == null) {
                    throw new TemplateError("Template error: instance of " + logicalId + " is not created");
                }
                String v = r.provisioned.attributes().get(attribute);
                if (v == null) {
                    throw new TemplateError("Template error: resource " + logicalId
                            + " does not support attribute type " + attribute + " in Fn::GetAtt");
                }
                return v;
            }
        }

        @Override
        public boolean condition(String name) {
            Object c = stack.template.conditions.get(name);
            if (c == null) {
                throw new TemplateError("Template error: unresolved condition dependency " + name + " in Fn::If");
            }
            Object v = Intrinsics.resolve(c, this);
            return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
        }

        @Override
        public String region() {
            return region;
        }
    }
}
