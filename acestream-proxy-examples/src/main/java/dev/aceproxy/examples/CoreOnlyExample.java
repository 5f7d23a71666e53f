package dev.aceproxy.examples;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The core alone, without any HTTP server: records a content's stream into a file through the
 * same registry a server would use. Usage: {@code CoreOnlyExample <engine url> <content id> <file>}.
 */
public final class CoreOnlyExample {

    private CoreOnlyExample() {
    }

    /**
     * Records until the stream ends or the process is interrupted.
     *
     * @param args engine url, content id, output file
     * @throws IOException if the engine fails or the file cannot be written
     * @throws InterruptedException if interrupted while waiting for the stream
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        URI engineUri = URI.create(args[0]);
        ContentId content = ContentId.id(args[1]);
        Path file = Path.of(args[2]);
        try (AceEngineClient engine = AceEngineClient.newBuilder().baseUri(engineUri).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(engine).build();
             OutputStream out = Files.newOutputStream(file)) {
            WritableByteChannel channel = Channels.newChannel(out);
            ClientSink sink = new ClientSink() {
                @Override
                public void write(ByteBuffer packets) throws IOException {
                    while (packets.hasRemaining()) {
                        channel.write(packets);
                    }
                }

                @Override
                public void close() {
                    // The file is closed by the try-with-resources above.
                }
            };
            try (Subscription subscription = registry.subscribe(content, Map.of(), sink, ClientInfo.anonymous())) {
                StreamEnd end = subscription.ended().join();
                System.out.println("stream over: " + end.reason());
            }
        }
    }
}
