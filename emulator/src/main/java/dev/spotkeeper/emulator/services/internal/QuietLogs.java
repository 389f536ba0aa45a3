package dev.spotkeeper.emulator.services.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded servers log through SLF4J/Logback, whose default configuration prints every DEBUG line of
 * jclouds, Jetty and Pekko; the emulator keeps them at WARN unless a Logback configuration says otherwise.
 */
public final class QuietLogs {
    private static final String[] NOISY = {"org.gaul", "org.jclouds", "jclouds", "org.eclipse.jetty",
        "org.apache.pekko", "org.elasticmq", "com.google"};

    private QuietLogs() {
    }

    public static void apply() {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        for (String name : NOISY) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARN);
            }
        }
    }
}
