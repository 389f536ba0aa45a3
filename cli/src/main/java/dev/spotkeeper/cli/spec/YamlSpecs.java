package dev.spotkeeper.cli.spec;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.SpecNode;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads workload files: YAML (SnakeYAML's node tree, which keeps line numbers) into a validated {@link WorkloadSpec}. */
public final class YamlSpecs {
    private YamlSpecs() {
    }

    public static WorkloadSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read workload file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static WorkloadSpec parse(String name, String text) {
        return WorkloadSpecReader.read(name, tree(name, text));
    }

    /** The YAML document as a {@link SpecNode} tree; syntax errors name the line. */
    public static SpecNode tree(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            throw SpotkeeperException.malformedFile(name, line, "not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw SpotkeeperException.malformedFile(name, 0, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw SpotkeeperException.malformedFile(name, 1, "the file is empty; a workload needs at least name and run");
        }
        return convert(name, root);
    }

    private static SpecNode convert(String name, Node node) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return new SpecNode.Empty(line);
            }
            return new SpecNode.Scalar(s.getValue(), line);
        }
        if (node instanceof SequenceNode seq) {
            List<SpecNode> items = new ArrayList<>();
            for (Node n : seq.getValue()) {
                items.add(convert(name, n));
            }
            return new SpecNode.Sequence(items, line);
        }
        MappingNode map = (MappingNode) node;
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw SpotkeeperException.malformedFile(name, t.getKeyNode().getStartMark().getLine() + 1, "keys must be plain words");
            }
            if (entries.containsKey(key.getValue())) {
                throw SpotkeeperException.malformedFile(name, key.getStartMark().getLine() + 1, "duplicate key '"
                        + key.getValue() + "' (first at line " + keyLines.get(key.getValue()) + "); keep one of them");
            }
            entries.put(key.getValue(), convert(name, t.getValueNode()));
            keyLines.put(key.getValue(), key.getStartMark().getLine() + 1);
        }
        return new SpecNode.Mapping(entries, keyLines, line);
    }
}
