package dev.spotkeeper.emulator.services.lambda;

import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One function's code, loaded in a class loader of its own whose parent is the platform class loader (so it sees
 * the JDK and nothing of the emulator): the jar itself, or a zip laid out as Lambda has it (classes at the root,
 * jars under {@code lib/}). The loader is a {@code Supplier<Map<String, String>>} of the function's environment
 * variables, since one JVM has one {@code System.getenv()}. The handler {@code pkg.Class::method} (or
 * {@code pkg.Class}, meaning {@code handleRequest}) is created once and called with its input bound from JSON
 * and, when it takes one, a {@code Context}.
 */
final class LoadedFunction implements AutoCloseable {
    /** The function's class loader: also the supplier of its environment. */
    static final class FunctionLoader extends URLClassLoader implements Supplier<Map<String, String>> {
        private final Map<String, String> environment;

        FunctionLoader(String name, URL[] urls, Map<String, String> environment) {
            super("lambda-" + name, urls, ClassLoader.getPlatformClassLoader());
            this.environment = Map.copyOf(environment);
        }

        @Override
        public Map<String, String> get() {
            return environment;
        }
    }

    private final String name;
    private final FunctionLoader loader;
    private final Object instance;
    private final Method method;
    private final long timeoutMillis;

    LoadedFunction(String name, String handler, Path code, Path unpacked, Map<String, String> environment,
                   long timeoutMillis) throws IOException {
        this.name = name;
        this.timeoutMillis = timeoutMillis;
        this.loader = new FunctionLoader(name, urls(code, unpacked), environment);
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = Class.forName(className, true, loader);
            Method found = null;
            for (Method m : type.getMethods()) {
                if (m.getName().equals(methodName) && m.getParameterCount() >= 1 && m.getParameterCount() <= 2
                        && !m.isBridge() && (found == null || m.getParameterCount() > found.getParameterCount())) {
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("The handler " + handler + " has no public method " + methodName
                        + " taking an input and optionally a Context");
            }
            this.method = found;
            this.instance = java.lang.reflect.Modifier.isStatic(found.getModifiers()) ? null
                    : type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            close();
            throw new IllegalArgumentException("Class not found: " + className + " (handler " + handler + ")");
        } catch (InvocationTargetException e) {
            close();
            throw new IllegalArgumentException("The handler class " + className + " failed to initialise: "
                    + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            close();
            throw new IllegalArgumentException("Cannot load the handler " + handler + ": " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] urls(Path code, Path unpacked) throws IOException {
        List<URL> urls = new ArrayList<>();
        boolean hasLib = false;
        try (ZipFile zip = new ZipFile(code.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar") && !entry.isDirectory()) {
                    Path target = unpacked.resolve(entry.getName()).normalize();
                    if (!target.startsWith(unpacked)) {
                        throw new IOException("zip entry outside its directory: " + entry.getName());
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                    urls.add(target.toUri().toURL());
                    hasLib = true;
                }
            }
        }
        urls.add(0, code.toUri().toURL());
        return hasLib || !urls.isEmpty() ? urls.toArray(URL[]::new) : new URL[] {code.toUri().toURL()};
    }

    /** What one invocation gave: its JSON payload, or an error as Lambda reports it. */
    record Outcome(String payload, boolean failed) {
    }

    /** Calls the handler on a thread of its own, waiting at most the function's timeout. */
    Outcome invoke(String payload) {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Outcome[] result = new Outcome[1];
        Thread worker = new Thread(() -> result[0] = call(payload, requestId, deadline), "lambda-" + name);
        worker.setContextClassLoader(loader);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            return error("Interrupted", "The invocation was interrupted");
        }
        if (worker.isAlive()) {
            worker.interrupt();
            return error("Sandbox.Timedout", requestId + " Task timed out after "
                    + String.format(java.util.Locale.ROOT, "%.2f", timeoutMillis / 1000.0) + " seconds");
        }
        return result[0];
    }

    private Outcome call(String payload, String requestId, long deadline) {
        try {
            Type inputType = method.getGenericParameterTypes()[0];
            Class<?> raw = method.getParameterTypes()[0];
            Object[] args = new Object[method.getParameterCount()];
            java.io.ByteArrayOutputStream streamOut = null;
            if (InputStream.class.isAssignableFrom(raw)) {
                args[0] = new java.io.ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8));
                if (args.length == 2 && OutputStream.class.isAssignableFrom(method.getParameterTypes()[1])) {
                    streamOut = new java.io.ByteArrayOutputStream();
                    args = new Object[] {args[0], streamOut};
                }
            } else {
                args[0] = Beans.bind(payload.isBlank() ? null : Json.parse(payload), inputType);
            }
            if (args.length == 2 && args[1] == null) {
                args[1] = context(method.getParameterTypes()[1], requestId, deadline);
            }
            Object out = method.invoke(instance, args);
            if (streamOut != null) {
                return new Outcome(streamOut.toString(StandardCharsets.UTF_8), false);
            }
            return new Outcome(out == null ? "null" : Json.write(Beans.toJson(out)), false);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return error(cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return error(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
    }

    /** A Context (and its LambdaLogger) for the loader's own {@code Context} interface, through a proxy. */
    private Object context(Class<?> type, String requestId, long deadline) {
        if (!type.isInterface()) {
            return null;
        }
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (proxy, m, a) -> switch (m.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getFunctionName", "getLogGroupName" -> name;
            case "getFunctionVersion" -> "$LATEST";
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> 512;
            case "getLogger" -> m.getReturnType().isInterface() ? Proxy.newProxyInstance(loader,
                    new Class<?>[] {m.getReturnType()}, (p2, m2, a2) -> {
                        if (a2 != null && a2.length > 0 && m2.getName().equals("log")) {
                            System.out.println("[lambda " + name + "] " + (a2[0] instanceof byte[] b
                                    ? new String(b, StandardCharsets.UTF_8) : a2[0]));
                        }
                        return null;
                    }) : null;
            case "toString" -> "Context[" + name + "]";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == a[0];
            default -> null;
        });
    }

    private static Outcome error(String type, String message) {
        return new Outcome(Json.write(Map.of("errorType", type, "errorMessage", message)), true);
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // the jar file is removed with the function's directory
        }
    }
}
