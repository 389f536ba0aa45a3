package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.Map;

/**
 * How AWS user data starts the agent: {@code java -jar} on the agent's own jar (never the CLI's, which carries the
 * emulator and its embedded servers), fetched at boot from {@code SPOTKEEPER_AGENT_JAR_URL} when that is set
 * ({@code s3://bucket/key} with the instance's role through the AWS CLI, or {@code https://…} with curl), else the
 * jar the machine image carries at {@code /opt/spotkeeper/spotkeeper-agent.jar}.
 *
 * <p>The controller appends {@code agent --workload … --spec …} to the command; so that the download and the start
 * stay one {@code exec} in user data, the command is a {@code sh -c} script that takes the URL as {@code $0} and
 * hands the appended arguments on to the agent.
 */
final class AgentDownload {
    static final String URL_VARIABLE = "SPOTKEEPER_AGENT_JAR_URL";
    static final String DIRECTORY = "/opt/spotkeeper";

    private AgentDownload() {
    }

    /** The command for instances on AWS, from the environment of the CLI that configures the controller. */
    static String forAws(Map<String, String> env) {
        String url = env.getOrDefault(URL_VARIABLE, "").strip();
        return url.isEmpty() ? "java -jar " + DIRECTORY + "/" + JarPath.AGENT_JAR : command(url, DIRECTORY, "java");
    }

    /**
     * @param url where the agent jar is: {@code s3://…}, {@code https://…} (or {@code file://…}, for a jar already on
     *     the machine)
     * @param directory where it is stored on the instance
     * @param java the java launcher on the instance
     */
    static String command(String url, String directory, String java) {
        if (!url.matches("(s3|https|file)://\\S+")) {
            throw SpotkeeperException.invalidArgument(URL_VARIABLE + " must say where the agent jar is, as"
                    + " s3://bucket/key or https://host/path/spotkeeper-agent.jar; was '" + url + "'");
        }
        String jar = directory + "/" + JarPath.AGENT_JAR;
        String script = "set -e; mkdir -p " + quote(directory) + "; case \"$0\" in"
                + " s3://*) aws s3 cp --only-show-errors \"$0\" " + quote(jar) + ";;"
                + " *) curl -fsSL --retry 5 -o " + quote(jar) + " \"$0\";;"
                + " esac; exec " + quote(java) + " -jar " + quote(jar) + " \"$@\"";
        return "/bin/sh -c " + quote(script) + " " + quote(url);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
