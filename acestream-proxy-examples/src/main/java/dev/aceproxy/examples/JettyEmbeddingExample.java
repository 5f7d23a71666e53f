package dev.aceproxy.examples;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.AceProxyEndpoints;
import dev.aceproxy.jetty.EndpointOptions;
import dev.aceproxy.jetty.StreamServlet;
import dev.aceproxy.registry.StreamRegistry;
import java.net.URI;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The proxy inside an application's own Jetty 12 server: every endpoint under {@code /tv}, and
 * the stream servlet alone under {@code /plain}. Usage: {@code JettyEmbeddingExample <engine url>}.
 */
public final class JettyEmbeddingExample {

    private JettyEmbeddingExample() {
    }

    /**
     * Serves on port 8080 until the process ends.
     *
     * @param args the engine url
     * @throws Exception if Jetty fails to start
     */
    public static void main(String[] args) throws Exception {
        AceEngineClient engine = AceEngineClient.newBuilder().baseUri(URI.create(args[0])).build();
        StreamRegistry registry = StreamRegistry.newBuilder().engine(engine).build();

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(new VirtualThreadPool(10_000));
        Server server = new Server(threads);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server);
        connector.setPort(8080);
        server.addConnector(connector);

        // Every endpoint: /tv/ace/getstream, /tv/ace/status, /tv/api/v1/streams, /tv/metrics, /tv/healthz.
        ServletContextHandler tv = new ServletContextHandler("/tv");
        AceProxyEndpoints.mount(tv, registry, EndpointOptions.DEFAULT);

        // Only the stream: /plain/ace/getstream.
        ServletContextHandler plain = new ServletContextHandler("/plain");
        plain.addServlet(new ServletHolder(new StreamServlet(registry)), "/ace/getstream");

        server.setHandler(new org.eclipse.jetty.server.handler.ContextHandlerCollection(tv, plain));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("stopping Jetty: " + e);
            }
            engine.close();
        }));
        server.start();
        server.join();
    }
}
