package dev.spotkeeper.emulator.cloudformation.internal;

import dev.spotkeeper.emulator.cloudformation.internal.Model.Change;
import dev.spotkeeper.emulator.cloudformation.internal.Model.ChangeSet;
import dev.spotkeeper.emulator.cloudformation.internal.Model.Event;
import dev.spotkeeper.emulator.cloudformation.internal.Model.Stack;
import dev.spotkeeper.emulator.cloudformation.internal.Model.StackResource;
import dev.spotkeeper.emulator.query.QueryError;
import dev.spotkeeper.emulator.query.QueryHandler;
import dev.spotkeeper.emulator.query.QueryHandler.Call;
import dev.spotkeeper.emulator.query.QueryParams;
import dev.spotkeeper.emulator.query.QueryXml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CloudFormation's query API (2010-05-15): each action's parameters in, its XML answer out. */
public final class CloudFormationActions {
    public static final String VERSION = "2010-05-15";
    public static final String NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private final StackService service;

    public CloudFormationActions(StackService service) {
        this.service = service;
    }

    public QueryHandler handler() {
        return new QueryHandler("cloudformation", VERSION, NAMESPACE)
                .action("CreateChangeSet", this::createChangeSet)
                .action("DescribeChangeSet", this::describeChangeSet)
                .action("ExecuteChangeSet", this::executeChangeSet)
                .action("DeleteChangeSet", this::deleteChangeSet)
                .action("DescribeStacks", this::describeStacks)
                .action("DescribeStackEvents", this::describeStackEvents)
                .action("DescribeStackResources", this::describeStackResources)
                .action("GetTemplate", this::getTemplate)
                .action("GetTemplateSummary", this::getTemplateSummary)
                .action("DeleteStack", this::deleteStack);
    }

    private String createChangeSet(Call c) {
        QueryParams p = c.params();
        String stackName = p.require("StackName");
        String name = p.require("ChangeSetName");
        String type = p.get("ChangeSetType").orElse("UPDATE");
        String body = p.get("TemplateBody").orElse(null);
        String url = p.get("TemplateURL").orElse(null);
        if (p.bool("UsePreviousTemplate").orElse(false)) {
            body = service.stacks(stackName).get(0).template.body;
        }
        List<Parameters.Given> given = new ArrayList<>();
        for (QueryParams m : p.structs("Parameters")) {
            given.add(new Parameters.Given(m.require("ParameterKey"), m.get("ParameterValue").orElse(""),
                    m.bool("UsePreviousValue").orElse(false)));
        }
        ChangeSet cs = service.createChangeSet(c.region(), stackName, name, type, service.templateText(body, url),
                given, p.members("Capabilities"), p.get("Description").orElse(null));
        Stack stack = service.stackOf(cs);
        return c.response().el("Id", cs.id).el("StackId", stack.id).finish();
    }

    private String describeChangeSet(Call c) {
        ChangeSet cs = service.changeSet(c.params().get("StackName").orElse(null),
                c.params().require("ChangeSetName"));
        Stack stack = service.stackOf(cs);
        QueryXml x = c.response();
        synchronized (stack) {
            x.el("ChangeSetName", cs.name).el("ChangeSetId", cs.id).el("StackId", stack.id)
                    .el("StackName", stack.name).el("Description", cs.description).el("CreationTime", cs.created)
                    .el("ExecutionStatus", cs.executionStatus).el("Status", cs.status).el("StatusReason", cs.reason);
            parameters(x, cs.parameters);
            x.open("Capabilities");
            cs.capabilities.forEach(cap -> x.el("member", cap));
            x.close().open("Changes");
            for (Change ch : cs.changes) {
                x.open("member").el("Type", "Resource").open("ResourceChange").el("Action", ch.action())
                        .el("LogicalResourceId", ch.logicalId()).el("PhysicalResourceId", ch.physicalId())
                        .el("ResourceType", ch.type()).el("Replacement", ch.replacement()).close().close();
            }
            x.close();
        }
        return x.finish();
    }

    private String executeChangeSet(Call c) {
        service.executeChangeSet(c.region(), c.params().get("StackName").orElse(null),
                c.params().require("ChangeSetName"));
        return c.response().finish();
    }

    private String deleteChangeSet(Call c) {
        service.deleteChangeSet(c.params().get("StackName").orElse(null), c.params().require("ChangeSetName"));
        return c.response().finish();
    }

    private String describeStacks(Call c) {
        List<Stack> stacks = service.stacks(c.params().get("StackName").orElse(null));
        QueryXml x = c.response().open("Stacks");
        for (Stack s : stacks) {
            synchronized (s) {
                x.open("member").el("StackId", s.id).el("StackName", s.name)
                        .el("Description", s.template == null ? null : s.template.description)
                        .el("CreationTime", s.created).el("LastUpdatedTime", s.updated).el("DeletionTime", s.deleted)
                        .el("StackStatus", s.status).el("StackStatusReason", s.reason)
                        .el("DisableRollback", false);
                parameters(x, s.parameters);
                x.open("Capabilities");
                s.capabilities.forEach(cap -> x.el("member", cap));
                x.close().open("Outputs");
                s.outputs.forEach((k, v) -> x.open("member").el("OutputKey", k).el("OutputValue", v).close());
                x.close().open("Tags").close().close();
            }
        }
        return x.finish();
    }

    private String describeStackEvents(Call c) {
        Stack s = service.stacks(c.params().require("StackName")).get(0);
        QueryXml x = c.response().open("StackEvents");
        synchronized (s) {
            for (int i = s.events.size() - 1; i >= 0; i--) {
                Event e = s.events.get(i);
                x.open("member").el("StackId", s.id).el("EventId", e.eventId()).el("StackName", s.name)
                        .el("LogicalResourceId", e.logicalId()).el("PhysicalResourceId", e.physicalId())
                        .el("ResourceType", e.type()).el("Timestamp", e.timestamp())
                        .el("ResourceStatus", e.status()).el("ResourceStatusReason", e.reason()).close();
            }
        }
        return x.finish();
    }

    private String describeStackResources(Call c) {
        String name = c.params().get("StackName").orElse(null);
        String physical = c.params().get("PhysicalResourceId").orElse(null);
        if (name == null && physical == null) {
            throw QueryError.validation("Either StackName or PhysicalResourceId must be specified.");
        }
        Stack s = name != null ? service.stacks(name).get(0) : byPhysicalId(physical);
        String logical = c.params().get("LogicalResourceId").orElse(null);
        QueryXml x = c.response().open("StackResources");
        synchronized (s) {
            for (StackResource r : s.resources.values()) {
                if (logical != null && !logical.equals(r.logicalId)) {
                    continue;
                }
                x.open("member").el("StackName", s.name).el("StackId", s.id).el("LogicalResourceId", r.logicalId)
                        .el("PhysicalResourceId", r.physicalId()).el("ResourceType", r.type)
                        .el("Timestamp", r.timestamp).el("ResourceStatus", r.status)
                        .el("ResourceStatusReason", r.reason).close();
            }
        }
        return x.finish();
    }

    private Stack byPhysicalId(String physical) {
        for (Stack s : service.stacks(null)) {
            synchronized (s) {
                for (StackResource r : s.resources.values()) {
                    if (physical.equals(r.physicalId())) {
                        return s;
                    }
                }
            }
        }
        throw QueryError.validation("Stack for " + physical + " does not exist");
    }

    private String getTemplate(Call c) {
        Stack s = service.stacks(c.params().require("StackName")).get(0);
        synchronized (s) {
            return c.response().el("TemplateBody", s.template == null ? "{}" : s.template.body)
                    .open("StagesAvailable").el("member", "Original").el("member", "Processed").close().finish();
        }
    }

    private String getTemplateSummary(Call c) {
        QueryParams p = c.params();
        String body = p.get("TemplateBody").orElse(null);
        if (body == null && p.get("TemplateURL").isEmpty()) {
            Stack s = service.stacks(p.require("StackName")).get(0);
            synchronized (s) {
                body = s.template == null ? "{}" : s.template.body;
            }
        }
        Template t;
        try {
            t = Template.parse(service.templateText(body, p.get("TemplateURL").orElse(null)));
        } catch (TemplateError e) {
            throw QueryError.validation(e.getMessage());
        }
        QueryXml x = c.response().open("Parameters");
        t.parameters.forEach((k, v) -> {
            x.open("member").el("ParameterKey", k).el("ParameterType", v.getOrDefault("Type", "String"))
                    .el("DefaultValue", v.get("Default")).el("NoEcho", Boolean.parseBoolean(String.valueOf(v.get("NoEcho"))))
                    .el("Description", v.get("Description")).close();
        });
        x.close().el("Description", t.description).el("Version", "2010-09-09").open("ResourceTypes");
        t.resources.values().stream().map(Template.Resource::type).distinct().forEach(type -> x.el("member", type));
        x.close();
        return x.finish();
    }

    private String deleteStack(Call c) {
        service.deleteStack(c.region(), c.params().require("StackName"), c.params().members("RetainResources"));
        return c.response().finish();
    }

    private static void parameters(QueryXml x, Map<String, String> parameters) {
        x.open("Parameters");
        parameters.forEach((k, v) -> x.open("member").el("ParameterKey", k).el("ParameterValue", v).close());
        x.close();
    }
}
