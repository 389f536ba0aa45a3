package dev.spotkeeper.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.spotkeeper.controller.RunSummary;
import java.util.Map;

/**
 * The reconcile function, on a one-minute schedule: one reconcile pass over every workload that may need it (the
 * events function handles the queue; this one reads no event). The schedule's event says nothing the pass needs,
 * so it is taken as a plain map.
 */
public final class ScheduleHandler implements RequestHandler<Map<String, Object>, String> {
    private final Functions functions;

    /** As Lambda makes it: the execution environment's controller. */
    public ScheduleHandler() {
        this(Functions.shared());
    }

    public ScheduleHandler(Functions functions) {
        this.functions = functions;
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        RunSummary s = functions.controller().reconcilePass();
        String line = "reconcile pass: " + s.failed() + " failed steps";
        functions.log(line);
        return line;
    }
}
