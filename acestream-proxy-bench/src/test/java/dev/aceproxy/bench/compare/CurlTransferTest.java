package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurlTransferTest {

    @Test
    void parsesOneLinePerTransfer() {
        List<CurlTransfer> t = CurlTransfer.parse("7982269 0.000425 200 28\n\n5340905 1.25 200 28\n0 0.000000 000 7\n");
        assertThat(t).containsExactly(new CurlTransfer(7982269, 0.000425, 200, 28),
                new CurlTransfer(5340905, 1.25, 200, 28), new CurlTransfer(0, 0, 0, 7));
        assertThat(t.get(0).playedToTheEnd()).isTrue();
        assertThat(t.get(2).playedToTheEnd()).isFalse();
        assertThat(new CurlTransfer(100, 0.1, 503, 0).playedToTheEnd()).isFalse();
        assertThat(new CurlTransfer(100, 0.1, 200, 18).playedToTheEnd()).isFalse();
    }

    @Test
    void rejectsOtherLines() {
        assertThatIllegalArgumentException().isThrownBy(() -> CurlTransfer.parse("1 2 3\n"));
        assertThatIllegalArgumentException().isThrownBy(() -> CurlTransfer.parse("a 0.1 200 28\n"));
    }

    @Test
    void theFormatHasTheFourFieldsInOrder() {
        assertThat(CurlTransfer.FORMAT)
                .isEqualTo("%{size_download} %{time_starttransfer} %{http_code} %{exitcode}\\n");
    }

    @Test
    void configSendsEveryTransferToDevNull() {
        assertThat(CurlPlayers.config("http://127.0.0.1:1/a?id=x", 2)).isEqualTo(
                "url = \"http://127.0.0.1:1/a?id=x\"\noutput = \"/dev/null\"\n"
                        + "url = \"http://127.0.0.1:1/a?id=x\"\noutput = \"/dev/null\"\n");
    }

    @Test
    void commandIsTheIssuesCurlLine() {
        assertThat(CurlPlayers.command(300, Duration.ofMillis(34_500), Path.of("/tmp/c.conf")))
                .containsExactly("curl", "-s", "-N", "--parallel", "--parallel-immediate", "--parallel-max", "300",
                        "-m", "34.5", "-w", CurlTransfer.FORMAT, "-K", "/tmp/c.conf");
    }
}
