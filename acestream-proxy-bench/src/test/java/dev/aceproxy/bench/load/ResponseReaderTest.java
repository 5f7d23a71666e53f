package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    private static final String CHUNKED_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: video/MP2T\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void countsChunkedPayloadWhateverTheSplit() throws ProtocolException {
        byte[] response = chunkedResponse(new int[] {188, 4096, 1, 70000}, true);
        long payload = 188 + 4096 + 1 + 70000;
        for (int piece : new int[] {1, 2, 3, 7, 188, 1000, response.length}) {
            ResponseReader r = new ResponseReader();
            long counted = 0;
            for (int off = 0; off < response.length; off += piece) {
                counted += r.consume(ByteBuffer.wrap(response, off, Math.min(piece, response.length - off)));
            }
            assertThat(counted).as("pieces of %d", piece).isEqualTo(payload);
            assertThat(r.payloadBytes()).isEqualTo(payload);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.firstPayloadByte()).isEqualTo(0x47);
            assertThat(r.bodyComplete()).isTrue();
        }
    }

    @Test
    void chunkExtensionsAndBareLineFeedsAreAccepted() throws ProtocolException {
        String body = "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n3;name=value\r\nabc\r\n2\nde\n0\r\n\r\n";
        ResponseReader r = new ResponseReader();
        assertThat(r.consume(ByteBuffer.wrap(body.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(5);
        assertThat(r.bodyComplete()).isTrue();
    }

    @Test
    void anOpenChunkedStreamIsNotComplete() throws ProtocolException {
        ResponseReader r = new ResponseReader();
        r.consume(ByteBuffer.wrap(chunkedResponse(new int[] {376}, false)));
        assertThat(r.payloadBytes()).isEqualTo(376);
        assertThat(r.bodyComplete()).isFalse();
    }

    @Test
    void identityBodiesCountUntilContentLengthOrForever() throws ProtocolException {
        ResponseReader sized = new ResponseReader();
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(sized.consume(ByteBuffer.wrap(head))).isZero();
        assertThat(sized.consume(ByteBuffer.wrap(new byte[25]))).isEqualTo(10);
        assertThat(sized.bodyComplete()).isTrue();

        ResponseReader unsized = new ResponseReader();
        unsized.consume(ByteBuffer.wrap("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        byte[] packets = new byte[376];
        packets[0] = 0x47;
        assertThat(unsized.consume(ByteBuffer.wrap(packets))).isEqualTo(376);
        assertThat(unsized.firstPayloadByte()).isEqualTo(0x47);
        assertThat(unsized.bodyComplete()).isFalse();
    }

    @Test
    void reportsTheStatusOfAnError() throws ProtocolException {
        ResponseReader r = new ResponseReader();
        r.consume(ByteBuffer.wrap("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad"
                .getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.headComplete()).isTrue();
    }

    @Test
    void rejectsMalformedResponses() {
        assertThatThrownBy(() -> new ResponseReader().consume(ByteBuffer.wrap(
                "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new ResponseReader().consume(ByteBuffer.wrap(
                (CHUNKED_HEAD + "zz\r\n").getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new ResponseReader().consume(ByteBuffer.wrap(
                (CHUNKED_HEAD + "2\r\nabX").getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(ProtocolException.class);
        byte[] endless = new byte[20_000];
        Arrays.fill(endless, (byte) 'a');
        assertThatThrownBy(() -> new ResponseReader().consume(ByteBuffer.wrap(endless)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("head longer");
    }

    /** A chunked response whose payload is TS-like: every byte 0x47. */
    static byte[] chunkedResponse(int[] chunkSizes, boolean last) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(CHUNKED_HEAD.getBytes(StandardCharsets.ISO_8859_1));
        for (int size : chunkSizes) {
            out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] data = new byte[size];
            Arrays.fill(data, (byte) 0x47);
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        if (last) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }
}
