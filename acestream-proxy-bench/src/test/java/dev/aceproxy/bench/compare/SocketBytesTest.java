package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SocketBytesTest {

    @Test
    void sumsBytesReceivedOfEverySocketAndNothingElse() {
        String ss = """
                0      0      127.0.0.1:39544 127.0.0.1:39999
                \t bbr wscale:10,10 rto:204 bytes_sent:136 bytes_acked:137 bytes_received:3660402 segs_out:210
                0      0      127.0.0.1:39546 127.0.0.1:39999
                \t bbr wscale:10,10 rto:204 bytes_sent:136 bytes_acked:137 segs_out:3
                0      0      127.0.0.1:39548 127.0.0.1:39999
                \t bbr bytes_received:100 delivered:2
                """;
        assertThat(SocketBytes.sumReceived(ss)).isEqualTo(3660502);
        assertThat(SocketBytes.sumReceived("")).isZero();
    }
}
