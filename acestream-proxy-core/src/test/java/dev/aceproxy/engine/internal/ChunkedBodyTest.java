package dev.aceproxy.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ChunkedBodyTest {

    private static ChunkedBody body(String wire) {
        return new ChunkedBody(new WireInput(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1))));
    }

    /** Hands out at most one byte per read, as a slow connection might. */
    private static ChunkedBody trickled(String wire) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
        return new ChunkedBody(new WireInput(new InputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, Math.min(1, len));
            }
        }));
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesChunksExtensionsAndTheTrailer() throws IOException {
        String wire = "5\r\nhello\r\n1A;name=value\r\n" + "x".repeat(26) + "\r\n0\r\nX-Trailer: 1\r\n\r\n";

        assertThat(text(body(wire))).isEqualTo("hello" + "x".repeat(26));
        assertThat(text(trickled(wire))).isEqualTo("hello" + "x".repeat(26));
    }

    @Test
    void acceptsUpperCaseHexBareLineFeedsAndWhitespaceBeforeAnExtension() throws IOException {
        assertThat(text(body("A \t;x\n0123456789\n0\n\n"))).isEqualTo("0123456789");
    }

    @Test
    void aReadReturnsWhatHasArrivedWithoutWaitingForTheChunkEnd() throws IOException {
        ChunkedBody body = body("4\r\nabcd");
        byte[] buffer = new byte[64];

        assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(4);
        assertThatThrownBy(() -> body.read(buffer, 0, buffer.length))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's chunked body ended without its last chunk");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "x\r\n", "-1\r\n", "0x10\r\n", "+5\r\n", "5 5\r\n", "5x\r\n", "\u0665\r\n"})
    void refusesMalformedChunkSizes(String sizeLine) {
        assertThatThrownBy(() -> text(body(sizeLine + "hello\r\n0\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessageStartingWith("a chunk-size line ");
    }

    @Test
    void refusesAChunkSizeOfMoreThanFifteenDigits() {
        assertThatThrownBy(() -> text(body("1000000000000000\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a chunk size of more than 15 hex digits");
    }

    @Test
    void refusesAnEndlessChunkSizeLine() {
        assertThatThrownBy(() -> text(body("5;" + "e".repeat(5000) + "\r\nhello\r\n0\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a chunk-size line longer than 1024 bytes");
    }

    @Test
    void refusesChunkDataThatIsNotFollowedByCrlf() {
        assertThatThrownBy(() -> text(body("5\r\nhelloXY\r\n0\r\n\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessage("a chunk's data is not followed by CRLF");
    }

    @Test
    void anEndInsideAChunkIsAnEofException() throws IOException {
        ChunkedBody body = body("10\r\nonly-ten-b");
        byte[] buffer = new byte[64];
        assertThat(body.read(buffer, 0, buffer.length)).isEqualTo(10);

        assertThatThrownBy(() -> body.read(buffer, 0, buffer.length))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's chunked body ended in the middle of a chunk, 6 bytes short");
    }

    @Test
    void anEndBeforeTheLastChunkIsAnEofException() {
        assertThatThrownBy(() -> text(body("5\r\nhello\r\n")))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's chunked body ended without its last chunk");
        assertThatThrownBy(() -> text(body("5\r\nhello\r\n0\r\nX-Trailer: 1\r\n")))
                .isInstanceOf(EOFException.class)
                .hasMessage("the engine's chunked body ended inside its trailer");
    }

    @Test
    void refusesAnOversizedTrailer() {
        assertThatThrownBy(() -> text(body("0\r\n" + "X: y\r\n".repeat(101) + "\r\n")))
                .isInstanceOf(MalformedHttpException.class)
                .hasMessageStartingWith("a chunked trailer larger than");
    }

    @Test
    void staysAtTheEndAfterTheLastChunk() throws IOException {
        ChunkedBody body = body("1\r\na\r\n0\r\n\r\nGARBAGE");

        assertThat(body.read()).isEqualTo('a');
        assertThat(body.read()).isEqualTo(-1);
        assertThat(body.read(new byte[8], 0, 8)).isEqualTo(-1);
    }
}
