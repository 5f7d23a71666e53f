package dev.aceproxy.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ResponseHeadTest {

    private static WireInput wire(String text) {
        return new WireInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsTheStatusAndFieldsAndLeavesTheBody() throws IOException {
        WireInput in = wire("HTTP/1.1 302 Found\r\nLocation:  /ace/r/x \r\nX-A: 1\r\nx-a: 2\r\n\r\nBODY");

        ResponseHead head = ResponseHead.read(in);

        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.status()).isEqualTo(302);
        assertThat(head.first("location")).contains("/ace/r/x");
        assertThat(head.all("X-A")).containsExactly("1", "2");
        assertThat(head.first("Content-Length")).isEmpty();
        assertThat(new String(new byte[] {(byte) in.read(), (byte) in.read()}, StandardCharsets.ISO_8859_1))
                .isEqualTo("BO");
    }

    @Test
    void acceptsHttp10NoReasonAndBareLineFeeds() throws IOException {
        assertThat(ResponseHead.read(wire("HTTP/1.0 200\n\n")).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1  200 OK", "HTTP/1.1 2000", "ICY 200 OK",
            "HTTP/1.1 abc OK", "http/1.1 200 OK"})
    void refusesMalformedStatusLines(String line) {
        assertThatThrownBy(() -> ResponseHead.read(wire(line + "\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessageStartingWith("not an HTTP/1.x status line");
    }

    @ParameterizedTest
    @ValueSource(strings = {" folded: x", "NoColon", ": no name", "Bad Name: x", "Name : x", "X: a\u0001b"})
    void refusesMalformedFieldLines(String line) {
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nA: b\r\n" + line + "\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class);
    }

    @Test
    void refusesALoneCarriageReturn() {
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a header line holds a CR that is not followed by LF");
    }

    @Test
    void boundsTheLineTheFieldCountAndTheHead() {
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000) + "\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a header line longer than 8192 bytes");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(101) + "\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("more than 100 header fields");
        String big = ("X: " + "a".repeat(8000) + "\r\n").repeat(9);
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\n" + big + "\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a response head larger than 65536 bytes");
    }

    @Test
    void anEndBeforeOrInsideTheHeadIsAnEofException() {
        assertThatThrownBy(() -> ResponseHead.read(wire("")))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine closed the connection without answering");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nA: b\r\n")))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's answer ended inside its head");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nA: b")))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's answer ended inside a header line");
    }
}
