package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status page in a real browser: headless Chromium (DevTools protocol, see
 * {@link DevToolsBrowser}) opens {@code /} of a proxy that plays from the fake engine, and the
 * test reads the page's DOM. Players join and leave on raw sockets, two of them with user agents
 * that would run script if the page built markup from data.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusPageBrowserTest {

    private static final String TOKEN = "status-page-token-0123456789";
    /** Would set {@code window.pwnedByImg} if it became an element. */
    private static final String IMG_AGENT = "<img src=x onerror=\"window.pwnedByImg=1\">";
    /** Would set {@code window.pwnedByScript} if it became an element. */
    private static final String SCRIPT_AGENT = "<script>window.pwnedByScript=1</script>";
    private static final long WAIT_MILLIS = 30_000;

    private static final String SESSION_ROWS = "String(document.querySelectorAll('#sessions tr.session').length)";
    private static final String PLAYER_COUNT = "(function(){var c=document.querySelector('#sessions tr.session "
            + "td.players-count');return c?c.textContent:'';})()";

    @Test
    void showsTheSessionAndItsPlayersAsTheyComeAndGoAndHostileUserAgentsAsText() throws Exception {
        requireChromium();
        try (ProxyFixture proxy = ProxyFixture.start();
             UserAgentPlayer friendly = UserAgentPlayer.open(proxy.server.port(), "/ace/getstream?id=" + ID,
                     "friendly-player/1.0");
             DevToolsBrowser browser = DevToolsBrowser.start()) {
            assertThat(friendly.awaitBytes(188 * 1000, WAIT_MILLIS)).isTrue();
            browser.navigate(proxy.server.baseUri() + "/");
            await(browser, SESSION_ROWS, "1");
            await(browser, PLAYER_COUNT, "1");
            assertThat(browser.evaluate("document.querySelector('#sessions tr.session td.content').textContent"))
                    .isEqualTo("id=" + ID);
            assertThat(browser.evaluate("document.querySelector('#sessions tr.session td.state').textContent"))
                    .isEqualTo("streaming");
            assertThat(browser.evaluate("document.querySelector('#engines tbody td').textContent"))
                    .isEqualTo(proxy.engine.baseUri().toString());

            try (UserAgentPlayer img = UserAgentPlayer.open(proxy.server.port(), "/ace/getstream?id=" + ID, IMG_AGENT);
                 UserAgentPlayer script = UserAgentPlayer.open(proxy.server.port(), "/ace/getstream?id=" + ID,
                         SCRIPT_AGENT)) {
                assertThat(img.awaitBytes(188 * 100, WAIT_MILLIS)).isTrue();
                assertThat(script.awaitBytes(188 * 100, WAIT_MILLIS)).isTrue();
                await(browser, PLAYER_COUNT, "3");
                String agents = browser.evaluate("Array.prototype.map.call(document.querySelectorAll('#sessions "
                        + "tr.player td.agent'),function(c){return c.textContent;}).join(' #SEP# ')");
                assertThat(agents.split(" #SEP# ")).containsExactlyInAnyOrder(IMG_AGENT, SCRIPT_AGENT,
                        "friendly-player/1.0");
                assertThat(browser.evaluate("String(document.querySelectorAll('img').length)"))
                        .as("no element was made from a user agent").isEqualTo("0");
                assertThat(browser.evaluate("String(document.querySelectorAll('body script').length)")).isEqualTo("0");
                assertThat(browser.evaluate("String(window.pwnedByImg)+'|'+String(window.pwnedByScript)"))
                        .as("no payload ran").isEqualTo("undefined|undefined");
                img.assertFollowsSource();
                script.assertFollowsSource();
            }
            await(browser, PLAYER_COUNT, "1");
            friendly.assertFollowsSource();
        }
    }

    @Test
    void withATokenThePageAsksForItOnceAndThenShowsTheData() throws Exception {
        requireChromium();
        UnaryOperator<dev.aceproxy.registry.StreamRegistry.Builder> same = UnaryOperator.identity();
        try (ProxyFixture proxy = ProxyFixture.start(same, EndpointOptions.DEFAULT.withAccessToken(TOKEN));
             UserAgentPlayer player = UserAgentPlayer.open(proxy.server.port(),
                     "/ace/getstream?id=" + ID + "&token=" + TOKEN, "token-player/2.0");
             DevToolsBrowser browser = DevToolsBrowser.start()) {
            assertThat(player.awaitBytes(188 * 1000, WAIT_MILLIS)).isTrue();
            browser.navigate(proxy.server.baseUri() + "/");
            await(browser, "String(!document.getElementById('token-form').hidden)", "true");
            assertThat(browser.evaluate(SESSION_ROWS)).as("no data without the token").isEqualTo("0");
            browser.evaluate("(function(){document.getElementById('token-input').value='" + TOKEN + "';"
                    + "document.getElementById('token-form').requestSubmit();return 'sent';})()");
            await(browser, SESSION_ROWS, "1");
            await(browser, PLAYER_COUNT, "1");
            assertThat(browser.evaluate("String(document.getElementById('token-form').hidden)")).isEqualTo("true");
            assertThat(browser.evaluate("document.querySelector('#sessions tr.player td.agent').textContent"))
                    .isEqualTo("token-player/2.0");

            // Asked once: the tab keeps the token, so a reload shows the data without asking.
            browser.navigate(proxy.server.baseUri() + "/");
            await(browser, "document.body&&document.body.hasAttribute('data-updated')?'yes':'no'", "yes");
            assertThat(browser.evaluate("String(document.getElementById('token-form').hidden)")).isEqualTo("true");
            assertThat(browser.evaluate(SESSION_ROWS)).isEqualTo("1");
            player.assertFollowsSource();
        }
    }

    @Test
    void withoutATokenAPageOpenedByAForeignNameShowsWhyTheDataIsRefused() throws Exception {
        requireChromium();
        // status.test resolves to loopback in this browser only: a name the proxy does not listen as.
        try (ProxyFixture proxy = ProxyFixture.start();
             DevToolsBrowser browser = DevToolsBrowser.start(List.of("--host-resolver-rules=MAP status.test 127.0.0.1"))) {
            browser.navigate("http://status.test:" + proxy.server.port() + "/");
            await(browser, "(function(){var s=document.getElementById('state');"
                    + "return s&&s.className==='problem'?s.textContent:'';})().indexOf('HTTP 403')>=0", "true");
            assertThat(browser.evaluate("document.getElementById('state').textContent"))
                    .contains("does not answer to that host name");
            assertThat(browser.evaluate("String(document.getElementById('token-form').hidden)"))
                    .as("a token would not help: the page does not ask for one").isEqualTo("true");
            assertThat(browser.evaluate(SESSION_ROWS)).isEqualTo("0");
            assertThat(proxy.engine.getstreamCalls()).isZero();
        }
    }

    private static void requireChromium() {
        ExternalTools.require(DevToolsBrowser.available(), "Chromium (" + DevToolsBrowser.CHROMIUM + ")");
    }

    /** Evaluates {@code expression} until it yields {@code expected}, for at most {@value #WAIT_MILLIS} ms. */
    private static void await(DevToolsBrowser browser, String expression, String expected) throws Exception {
        String guarded = "(function(){try{return String(" + expression + ");}catch(e){return 'error: '+e;}})()";
        try {
            // Each evaluation is a DevTools round trip: asked every 100 ms, not every 10.
            Eventually.within(Duration.ofMillis(WAIT_MILLIS), Duration.ofMillis(100), expression + " = " + expected,
                    () -> browser.evaluate(guarded), expected::equals);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (page state: " + browser.evaluate(
                    "(function(){var s=document.getElementById('state');return s?s.textContent:'no page';})()") + ")", e);
        }
    }
}
