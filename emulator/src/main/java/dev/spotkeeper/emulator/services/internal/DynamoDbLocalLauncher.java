package dev.spotkeeper.emulator.services.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Main class of the DynamoDB Local child JVM. It uses reflection only, so this class compiles without DynamoDB
 * Local's Jetty 12 on the emulator's classpath. DynamoDB Local has no option to choose the listening address,
 * so the launcher moves its connector to 127.0.0.1 and an ephemeral port before starting it, prints the bound
 * port on standard output for the parent, and exits when the parent closes standard input (or dies). With a
 * directory as its argument the tables are kept in a file there ({@code -dbPath}); without one, in memory.
 */
public final class DynamoDbLocalLauncher {
    static final String PORT_LINE = "dynamodb-local-port=";

    private DynamoDbLocalLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        String[] options = args.length > 0
                ? new String[] {"-dbPath", args[0], "-sharedDb", "-disableTelemetry", "-port", "8000"}
                : new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", "8000"};
        Object server = runner.getMethod("createServerFromCommandLineArgs", String[].class)
                .invoke(null, (Object) options);
        Field field = server.getClass().getDeclaredField("server");
        field.setAccessible(true);
        Object jetty = field.get(server);
        Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        for (Object connector : connectors) {
            connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
            connector.getClass().getMethod("setPort", int.class).invoke(connector, 0);
        }
        server.getClass().getMethod("start").invoke(server);
        Method localPort = connectors[0].getClass().getMethod("getLocalPort");
        // Standard output is the protocol with the parent process, not logging.
        System.out.println(PORT_LINE + localPort.invoke(connectors[0]));
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to close the pipe
        }
        System.exit(0);
    }
}
