package dev.spotkeeper.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parse_readsNestedValuesWithTheirTypes() {
        Map<String, Object> m = Json.parseObject("{\"a\": [1, 2.5, \"x\\n\\u00e9\", true, null], \"b\": {\"c\": -3e2}}");

        assertThat(m.get("a")).isEqualTo(java.util.Arrays.asList(1L, 2.5, "x\né", true, null));
        assertThat(((Map<?, ?>) m.get("b")).get("c")).isEqualTo(-300.0);
    }

    @Test
    void write_thenParse_givesTheSameValue() {
        Map<String, Object> m = Map.of("k", List.of("a\"b", 1L, Map.of("n", false)));

        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void parse_whenACommentIsPasted_namesTheLineOfTheComment() {
        String text = "{\n  \"detail-type\": \"EC2 Spot Instance Interruption Warning\",\n  # example value\n  \"x\": 1\n}";

        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("comment")
                .satisfies(e -> assertThat(((JsonException) e).line()).isEqualTo(3));
    }

    @Test
    void parse_whenACommaIsMissing_reportsLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1\n \"b\": 2}"))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("line 2, column 2")
                .hasMessageContaining("expected ',' or '}'");
    }

    @Test
    void parse_rejectsTrailingTextDuplicateKeysAndEmptyInput() {
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("after the end");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate member \"a\"");
        assertThatThrownBy(() -> Json.parse("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object");
    }
}
