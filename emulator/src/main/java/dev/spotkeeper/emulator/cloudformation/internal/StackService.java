package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.emulator.cloudformation.internal.Model.Change;
import dev.spotkeeper.emulator.cloudformation.internal.Model.ChangeSet;
import dev.spotkeeper.emulator.cloudformation.internal.Model.Stack;
import dev.spotkeeper.emulator.cloudformation.internal.Model.StackResource;
import dev.spotkeeper.emulator.query.QueryError;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The emulator's CloudFormation: stacks by name and id, their change sets, executions on one worker thread. */
public final class StackService implements AutoCloseable {
    static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different information"
            + " to create a change set.";

    private final Clock clock;
    private final String account;
    private final EdgeCalls edge;
    private final Provisioning provisioning;
    private final Map<String, Stack> byName = new LinkedHashMap<>();
    private final Map<String, Stack> byId = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "emulator-cloudformation");
        t.setDaemon(true);
        return t;
    });

    public StackService(Clock clock, String account, URI edgeEndpoint, long seed,
                        java.util.function.Supplier<java.util.Optional<
                                dev.spotkeeper.emulator.spi.StackResourceProvider>> others) {
        this.clock = clock;
        this.account = account;
        this.edge = new EdgeCalls(edgeEndpoint);
        this.provisioning = new Provisioning(clock, account, new BuiltInResources(edge, seed), others);
    }

    /** The template of a call: its body, or the object its URL names in the emulator's S3. */
    String templateText(String body, String url) {
        if (body != null) {
            return body;
        }
        if (url == null) {
            throw QueryError.validation("Either Template URL or Template Body must be specified.");
        }
        String path = S3Urls.path(url);
        HttpResponse<String> r = edge.get(path);
        if (r.statusCode() != 200) {
            throw QueryError.validation("TemplateURL must be a supported URL: " + url + " (the emulator's S3 answered"
                    + " HTTP " + r.statusCode() + " for " + path + ")");
        }
        return r.body();
    }

    synchronized ChangeSet createChangeSet(String region, String stackName, String changeSetName, String type,
                                           String templateText, List<Parameters.Given> given,
                                           List<String> capabilities, String description) {
        Stack stack = byName.get(stackName);
        if (type.equals("CREATE")) {
            if (stack != null && !stack.status.equals("REVIEW_IN_PROGRESS")) {
                throw QueryError.sender("AlreadyExistsException", "Stack [" + stackName + "] already exists");
            }
        } else if (type.equals("UPDATE")) {
            if (stack == null || stack.status.equals("REVIEW_IN_PROGRESS")) {
                throw QueryError.validation("Stack [" + stackName + "] does not exist");
            }
            if (stack.inProgress() || stack.status.equals("ROLLBACK_COMPLETE")
                    || stack.status.equals("ROLLBACK_FAILED") || stack.status.equals("DELETE_FAILED")) {
                throw QueryError.validation("Stack:" + stack.id + " is in " + stack.status
                        + " state and can not be updated.");
            }
        } else {
            throw QueryError.validation("1 validation error detected: Value '" + type + "' at 'changeSetType'"
                    + " failed to satisfy constraint: Member must satisfy enum value set: [UPDATE, CREATE]"
                    + " (the emulator does not IMPORT)");
        }
        Template template;
        Map<String, String> values;
        try {
            template = Template.parse(templateText);
            values = Parameters.resolve(template, given, stack == null ? Map.of() : stack.parameters);
            checkRules(template, values, region);
        } catch (TemplateError e) {
            throw QueryError.validation(e.getMessage());
        }
        requireCapabilities(template, capabilities);
        if (stack == null) {
            stack = new Stack(stackName, "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + stackName
                    + "/" + UUID.randomUUID(), clock.instant());
            stack.status = "REVIEW_IN_PROGRESS";
            stack.events.add(new Model.Event(UUID.randomUUID().toString(), stackName, stack.id,
                    "AWS::CloudFormation::Stack", clock.instant(), "REVIEW_IN_PROGRESS", "User Initiated"));
            byName.put(stackName, stack);
            byId.put(stack.id, stack);
        }
        synchronized (stack) {
            if (stack.changeSets.containsKey(changeSetName)) {
                throw QueryError.sender("AlreadyExistsException", "ChangeSet " + changeSetName
                        + " already exists");
            }
            List<Change> changes = changes(stack, template, values);
            ChangeSet cs = new ChangeSet(changeSetName, "arn:aws:cloudformation:" + region + ":" + account
                    + ":changeSet/" + changeSetName + "/" + UUID.randomUUID(), type, template, values,
                    List.copyOf(capabilities), changes, clock.instant(), description);
            if (changes.isEmpty() && type.equals("UPDATE")) {
                cs.status = "FAILED";
                cs.executionStatus = "UNAVAILABLE";
                cs.reason = NO_CHANGES;
            } else {
                cs.status = "CREATE_COMPLETE";
                cs.executionStatus = "AVAILABLE";
            }
            stack.changeSets.put(changeSetName, cs);
            return cs;
        }
    }

    private void checkRules(Template template, Map<String, String> values, String region) {
        Intrinsics.Scope scope = new Intrinsics.Scope() {
            @Override
            public Object ref(String name) {
                if (!template.parameters.containsKey(name)) {
                    return name.equals("AWS::Region") ? region : name.equals("AWS::AccountId") ? account : "aws";
                }
                return Parameters.value(template.parameters.get(name), values.get(name));
            }

            @Override
            public Object getAtt(String logicalId, String attribute) {
                throw new TemplateError("Template format error: Fn::GetAtt is not allowed in Rules");
            }

            @Override
            public boolean condition(String name) {
                return Boolean.parseBoolean(String.valueOf(Intrinsics.resolve(template.conditions.get(name), this)));
            }

            @Override
            public String region() {
                return region;
            }
        };
        for (Object rule : template.rules.values()) {
            if (!(rule instanceof Map<?, ?> m)) {
                continue;
            }
            if (m.get("RuleCondition") != null
                    && !Boolean.TRUE.equals(Intrinsics.resolve(m.get("RuleCondition"), scope))) {
                continue;
            }
            if (m.get("Assertions") instanceof List<?> assertions) {
                for (Object a : assertions) {
                    if (a instanceof Map<?, ?> am && !Boolean.TRUE.equals(Intrinsics.resolve(am.get("Assert"), scope))) {
                        Object d = am.get("AssertDescription");
                        throw new TemplateError(d == null ? "Template error: a rule's assertion failed" : d.toString());
                    }
                }
            }
        }
    }

    private static void requireCapabilities(Template template, List<String> capabilities) {
        TreeSet<String> needed = new TreeSet<>();
        for (Template.Resource r : template.resources.values()) {
            if (r.type().startsWith("AWS::IAM::")) {
                boolean named = r.properties().containsKey("RoleName") || r.properties().containsKey("UserName")
                        || r.properties().containsKey("GroupName") || r.properties().containsKey("ManagedPolicyName")
                        || r.properties().containsKey("InstanceProfileName");
                needed.add(named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM");
            }
        }
        if (needed.contains("CAPABILITY_NAMED_IAM")) {
            needed.remove("CAPABILITY_IAM");
            if (!capabilities.contains("CAPABILITY_NAMED_IAM")) {
                throw QueryError.sender("InsufficientCapabilitiesException", "Requires capabilities : " + needed);
            }
        } else if (!needed.isEmpty() && !capabilities.contains("CAPABILITY_IAM")
                && !capabilities.contains("CAPABILITY_NAMED_IAM")) {
            throw QueryError.sender("InsufficientCapabilitiesException", "Requires capabilities : " + needed);
        }
    }

    /** What the change set would do: by each resource's declaration, and by the parameters it reads. */
    private static List<Change> changes(Stack stack, Template template, Map<String, String> values) {
        List<Change> changes = new ArrayList<>();
        Template old = stack.template;
        for (Template.Resource r : template.resources.values()) {
            StackResource existing = stack.resources.get(r.logicalId());
            Template.Resource declared = old == null ? null : old.resources.get(r.logicalId());
            if (existing == null || declared == null) {
                changes.add(new Change("Add", r.logicalId(), null, r.type(), null));
            } else if (!declared.type().equals(r.type())) {
                changes.add(new Change("Modify", r.logicalId(), existing.physicalId(), r.type(), "True"));
            } else if (!Objects.equals(declared, r) || readsChanged(r, stack.parameters, values)) {
                changes.add(new Change("Modify", r.logicalId(), existing.physicalId(), r.type(), "Conditional"));
            }
        }
        for (StackResource existing : stack.resources.values()) {
            if (!template.resources.containsKey(existing.logicalId)) {
                changes.add(new Change("Remove", existing.logicalId, existing.physicalId(), existing.type, null));
            }
        }
        return changes;
    }

    private static boolean readsChanged(Template.Resource r, Map<String, String> before, Map<String, String> after) {
        for (String ref : Intrinsics.references(r.properties())) {
            if (!Objects.equals(before.get(ref), after.get(ref))) {
                return true;
            }
        }
        return false;
    }

    synchronized void executeChangeSet(String region, String stackName, String changeSetName) {
        ChangeSet cs = changeSet(stackName, changeSetName);
        Stack stack = stackOf(cs);
        synchronized (stack) {
            if (!cs.executionStatus.equals("AVAILABLE")) {
                throw QueryError.sender("InvalidChangeSetStatus", "ChangeSet [" + cs.id
                        + "] cannot be executed in its current execution status of [" + cs.executionStatus + "]");
            }
            if (stack.inProgress()) {
                throw QueryError.validation("Stack:" + stack.id + " is in " + stack.status
                        + " state and can not be updated.");
            }
            cs.executionStatus = "EXECUTE_IN_PROGRESS";
            stack.changeSets.values().stream().filter(o -> o != cs).forEach(o -> o.executionStatus = "OBSOLETE");
            stack.status = cs.type.equals("CREATE") ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS";
        }
        worker.execute(() -> {
            try {
                provisioning.execute(stack, cs, region);
            } finally {
                synchronized (stack) {
                    cs.executionStatus = stack.status.endsWith("_COMPLETE") && !stack.status.contains("ROLLBACK")
                            ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED";
                    stack.changeSets.clear();
                }
            }
        });
    }

    synchronized void deleteStack(String region, String stackName, List<String> retain) {
        Stack stack = byId.containsKey(stackName) ? byId.get(stackName) : byName.get(stackName);
        if (stack == null || stack.deleted != null) {
            return;
        }
        synchronized (stack) {
            if (stack.status.equals("DELETE_IN_PROGRESS")) {
                return;
            }
            if (stack.inProgress()) {
                throw QueryError.validation("Stack [" + stack.name + "] cannot be deleted while in status "
                        + stack.status);
            }
            stack.status = "DELETE_IN_PROGRESS";
        }
        worker.execute(() -> {
            provisioning.delete(stack, region, retain);
            synchronized (this) {
                if (stack.deleted != null) {
                    byName.remove(stack.name, stack);
                }
            }
        });
    }

    /** Stacks by name or id; every live one when none is named. */
    synchronized List<Stack> stacks(String nameOrId) {
        if (nameOrId == null) {
            return byName.values().stream().filter(s -> s.deleted == null && !s.status.equals("REVIEW_IN_PROGRESS"))
                    .toList();
        }
        Stack s = byId.containsKey(nameOrId) ? byId.get(nameOrId) : byName.get(nameOrId);
        if (s == null) {
            throw QueryError.validation("Stack with id " + nameOrId + " does not exist");
        }
        return List.of(s);
    }

    synchronized ChangeSet changeSet(String stackName, String changeSetName) {
        if (changeSetName.startsWith("arn:")) {
            for (Stack s : byId.values()) {
                synchronized (s) {
                    for (ChangeSet cs : s.changeSets.values()) {
                        if (cs.id.equals(changeSetName)) {
                            return cs;
                        }
                    }
                }
            }
        } else if (stackName != null) {
            Stack s = byId.containsKey(stackName) ? byId.get(stackName) : byName.get(stackName);
            if (s != null) {
                synchronized (s) {
                    ChangeSet cs = s.changeSets.get(changeSetName);
                    if (cs != null) {
                        return cs;
                    }
                }
            }
        } else {
            throw QueryError.validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
        }
        throw new QueryError("ChangeSetNotFound", 404, "ChangeSet [" + changeSetName + "] does not exist");
    }

    synchronized Stack stackOf(ChangeSet cs) {
        for (Stack s : byId.values()) {
            synchronized (s) {
                if (s.changeSets.containsValue(cs)) {
                    return s;
                }
            }
        }
        throw new QueryError("ChangeSetNotFound", 404, "ChangeSet [" + cs.id + "] does not exist");
    }

    synchronized void deleteChangeSet(String stackName, String changeSetName) {
        ChangeSet cs = changeSet(stackName, changeSetName);
        Stack s = stackOf(cs);
        synchronized (s) {
            if (cs.executionStatus.equals("EXECUTE_IN_PROGRESS")) {
                throw QueryError.sender("InvalidChangeSetStatus", "ChangeSet [" + cs.id
                        + "] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]");
            }
            s.changeSets.remove(cs.name);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
