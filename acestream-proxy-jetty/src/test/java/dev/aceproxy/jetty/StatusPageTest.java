package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.internal.StatusPageEndpoint;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status page's files over HTTP: where they are, their headers, and what they refuse. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusPageTest {

    private static final String TOKEN = "status-page-token-0123456789";

    @Test
    void thePageItsScriptAndStyleAreServedWithAPolicyThatForbidsInlineScript() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start()) {
            HttpResponse<String> page = proxy.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy"))
                    .hasValue(StatusPageEndpoint.CONTENT_SECURITY_POLICY);
            assertThat(StatusPageEndpoint.CONTENT_SECURITY_POLICY).contains("script-src 'self'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.body()).contains("<script src=\"status/app.js\" defer></script>")
                    .contains("href=\"status/app.css\"");
            Matcher scripts = Pattern.compile("<script\\b[^>]*>").matcher(page.body());
            while (scripts.find()) {
                assertThat(scripts.group()).as("every script is a file").contains(" src=");
            }
            assertThat(page.body()).as("no inline event handler").doesNotContainPattern("\\son[a-z]+\\s*=");

            HttpResponse<String> script = proxy.get(AceProxyEndpoints.PAGE_SCRIPT);
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
            assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(script.body()).contains("textContent").doesNotContain("innerHTML")
                    .doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
                    .doesNotContain("eval(");
            HttpResponse<String> style = proxy.get(AceProxyEndpoints.PAGE_STYLE);
            assertThat(style.statusCode()).isEqualTo(200);
            assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
            assertThat(proxy.engine.getstreamCalls()).isZero();
        }
    }

    @Test
    void onlyTheRootIsThePageAndEveryOtherUnknownPathKeepsItsJson404() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start()) {
            for (String path : new String[] {"/nothing", "/index.html", "/status/", "/status/other.js", "/status"}) {
                HttpResponse<String> answer = proxy.get(path);
                assertThat(answer.statusCode()).as(path).isEqualTo(404);
                assertThat(answer.body()).as(path).contains("\"not_found\"");
            }
            HttpResponse<String> head = proxy.send(HttpRequest.newBuilder(proxy.uri("/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Security-Policy")).isPresent();
            HttpResponse<String> post = proxy.send(HttpRequest.newBuilder(proxy.uri("/"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.body()).contains("\"error\"");
            HttpResponse<String> query = proxy.get("/?x=1");
            assertThat(query.statusCode()).isEqualTo(400);
            assertThat(query.body()).contains("\"unknown_parameter\"");
        }
    }

    @Test
    void withATokenThePageLoadsWithoutItButTheDataDoesNot() throws Exception {
        UnaryOperator<StreamRegistry.Builder> same = UnaryOperator.identity();
        try (ProxyFixture proxy = ProxyFixture.start(same, EndpointOptions.DEFAULT.withAccessToken(TOKEN))) {
            assertThat(proxy.get("/").statusCode()).isEqualTo(200);
            assertThat(proxy.get(AceProxyEndpoints.PAGE_SCRIPT).statusCode()).isEqualTo(200);
            assertThat(proxy.get(AceProxyEndpoints.PAGE_STYLE).statusCode()).isEqualTo(200);
            assertThat(proxy.get("/status/other.js").statusCode()).as("other paths keep needing it").isEqualTo(401);
            assertThat(proxy.get(AceProxyEndpoints.STREAMS).statusCode()).isEqualTo(401);
            HttpResponse<String> data = proxy.send(HttpRequest.newBuilder(proxy.uri(AceProxyEndpoints.STREAMS))
                    .header("Authorization", "Bearer " + TOKEN));
            assertThat(data.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void eachSessionNamesItsContentInOneMember() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start();
             UserAgentPlayer player = UserAgentPlayer.open(proxy.server.port(), "/ace/getstream?infohash=" + ID,
                     "json-check")) {
            assertThat(player.awaitBytes(188 * 500, 10_000)).isTrue();
            String json = proxy.get(AceProxyEndpoints.STREAMS).body();
            assertThat(json).contains("\"content\":\"infohash=" + ID + "\"");
            player.assertFollowsSource();
        }
    }

    @Test
    void mountedUnderAContextPathThePageIsAtItsRoot() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build();
             HttpClient http = HttpClient.newHttpClient()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/tv");
            AceProxyEndpoints.mount(context, registry);
            server.setHandler(context);
            server.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/tv/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("status/app.js");
                // The page's relative urls resolve inside the context.
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/tv/status/app.js")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/tv/api/v1/streams")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/tv/elsewhere")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
            } finally {
                server.stop();
            }
        }
    }
}
