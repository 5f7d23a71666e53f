package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.registry.ClientStatus;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.Totals;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InternalsTest {

    @Test
    void jsonWriterEscapesAndSeparates() {
        String json = new JsonWriter().beginObject()
                .name("a").value("x\"y\\z\n\u0001\u2028")
                .name("n").value(42)
                .name("d").value(Double.NaN)
                .name("list").beginArray().value(true).nullValue().beginObject().endObject().endArray()
                .name("s").value((String) null)
                .endObject().toString();
        assertThat(json).isEqualTo(
                "{\"a\":\"x\\\"y\\\\z\\n\\u0001\\u2028\",\"n\":42,\"d\":null,\"list\":[true,null,{}],\"s\":null}");
    }

    @Test
    void engineFiguresTheEngineDoesNotKnowAreNullInTheStatus() {
        EngineStats prebuffering = new EngineStats("prebuf", -1, -1, -1, 0, -1);
        SessionStatus session = new SessionStatus("id=" + "ab".repeat(20), ContentId.id("ab".repeat(20)),
                Optional.empty(), SessionState.STARTING, Optional.empty(), URI.create("http://127.0.0.1:6878"),
                Optional.empty(), Instant.EPOCH, Duration.ZERO, List.of(), 0, 0, 0, 0, Optional.of(prebuffering));
        String json = StatusJson.write(new RegistryStatus(Instant.EPOCH, List.of(session), List.of(),
                new Totals(1, 0, 0, 0, 0, 0, 0, 0))).toString();
        assertThat(json).contains("\"status\":\"prebuf\"", "\"peers\":null", "\"speed_down_kbps\":null",
                "\"speed_up_kbps\":null", "\"downloaded_bytes\":0", "\"uploaded_bytes\":null");
    }

    @Test
    void theStatusListsAtMostAThousandClientsAndSaysSoAndStreamsTheSameText() throws Exception {
        List<SessionStatus> sessions = new java.util.ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<ClientStatus> clients = new java.util.ArrayList<>();
            for (int c = 0; c < 600; c++) {
                clients.add(new ClientStatus(s * 1000L + c, Optional.of("10.0.0." + (c % 250)),
                        Optional.of("agent"), Instant.EPOCH, 0, 0, 0, 0));
            }
            String hex = String.format(java.util.Locale.ROOT, "%040x", s + 1);
            sessions.add(new SessionStatus("id=" + hex, ContentId.id(hex), Optional.empty(), SessionState.STREAMING,
                    Optional.empty(), URI.create("http://127.0.0.1:6878"), Optional.empty(), Instant.EPOCH,
                    Duration.ZERO, clients, 0, 0, 0, 0, Optional.empty()));
        }
        RegistryStatus status = new RegistryStatus(Instant.EPOCH, sessions, List.of(),
                new Totals(3, 1800, 0, 0, 0, 0, 0, 0));
        String json = StatusJson.write(status).toString();
        dev.aceproxy.internal.json.JsonObject parsed = dev.aceproxy.internal.json.JsonReader.parseObject(json);
        assertThat(json.split("\"remote_address\"", -1).length - 1).isEqualTo(StatusJson.MAX_CLIENTS_LISTED);
        assertThat(json).contains("\"clients_truncated\":true").contains("\"clients_total\":600");
        assertThat(parsed).isNotNull();
        java.io.StringWriter streamed = new java.io.StringWriter();
        StatusJson.stream(status, null, streamed);
        assertThat(streamed.toString()).isEqualTo(json);
    }

    @Test
    void errorBodyHasCodeAndMessage() {
        assertThat(JsonResponses.errorBody("limit_reached", "too many \"streams\"").toString())
                .isEqualTo("{\"error\":\"limit_reached\",\"message\":\"too many \\\"streams\\\"\"}");
    }

    @Test
    void prometheusTextDeclaresOnceAndEscapesLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("content", "a\"b\\c\nd");
        labels.put("kind", "id");
        String text = new PrometheusText()
                .family("x_total", PrometheusText.Type.COUNTER, "Things.")
                .sample("x_total", 3)
                .family("x_total", PrometheusText.Type.COUNTER, "Things.")
                .sample("x_total", labels, 1.5)
                .family("g", PrometheusText.Type.GAUGE, "A gauge.")
                .sample("g", Double.POSITIVE_INFINITY)
                .toString();
        assertThat(text).isEqualTo("""
                # HELP x_total Things.
                # TYPE x_total counter
                x_total 3
                x_total{content="a\\"b\\\\c\\nd",kind="id"} 1.5
                # HELP g A gauge.
                # TYPE g gauge
                g +Inf
                """);
        assertThatIllegalStateException().isThrownBy(() -> new PrometheusText().sample("undeclared", 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new PrometheusText()
                .family("bad-name", PrometheusText.Type.GAUGE, "x"));
    }

    @Test
    void accessTokenMatchesExactlyAndHidesItself() {
        AccessToken token = new AccessToken("secret");
        assertThat(token.matches("secret")).isTrue();
        assertThat(token.matches("secreT")).isFalse();
        assertThat(token.matches("secret ")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.toString()).doesNotContain("secret");
        assertThatIllegalArgumentException().isThrownBy(() -> new AccessToken(""));
    }

    @Test
    void queryParametersDecodeAndValidate() throws Exception {
        QueryParameters q = QueryParameters.parse("id=abc&x=a+b%20c&flag&&y=%C3%A9");
        assertThat(q.names()).containsExactly("id", "x", "flag", "y");
        assertThat(q.single("x")).hasValue("a b c");
        assertThat(q.single("y")).hasValue("é");
        assertThat(q.single("missing")).isEmpty();
        assertThatThrownBy(() -> q.single("flag")).isInstanceOfSatisfying(HttpProblem.class,
                p -> assertThat(p.code()).isEqualTo("empty_parameter"));
        assertThatThrownBy(() -> q.requireOnly(Set.of("id"))).isInstanceOfSatisfying(HttpProblem.class,
                p -> assertThat(p.getMessage()).contains("x").contains("accepted: id"));
        assertThatThrownBy(() -> QueryParameters.parse("a=1&a=2").single("a"))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.code()).isEqualTo("repeated_parameter"));
        assertThatThrownBy(() -> QueryParameters.parse("a=%zz")).isInstanceOfSatisfying(HttpProblem.class,
                p -> assertThat(p.status()).isEqualTo(400));
        assertThatThrownBy(() -> QueryParameters.parse("a=%ff")).isInstanceOfSatisfying(HttpProblem.class,
                p -> assertThat(p.getMessage()).contains("UTF-8"));
        assertThatThrownBy(() -> QueryParameters.parse("a=" + "x".repeat(5000))).isInstanceOfSatisfying(
                HttpProblem.class, p -> assertThat(p.code()).isEqualTo("query_too_long"));
        assertThatThrownBy(() -> QueryParameters.parse("a=" + "x".repeat(300))).isInstanceOfSatisfying(
                HttpProblem.class, p -> assertThat(p.code()).isEqualTo("invalid_parameter"));
        assertThat(QueryParameters.parse(null).names()).isEmpty();
    }
}
