package dev.aceproxy.testkit.internal;

import java.io.IOException;

/** The health-check endpoints: {@code /webui/api/service} and {@code /server/api}. */
final class ServiceEndpoints {

    private final EngineParts parts;

    ServiceEndpoints(EngineParts parts) {
        this.parts = parts;
    }

    void handleService(Exchange exchange, HttpRequest request) throws IOException {
        if (!"get_version".equals(request.parameter("method"))) {
            exchange.sendJson(new EngineJson().put("result", null).put("error", "unknown method").toString());
            return;
        }
        parts.counters().versionCalls.incrementAndGet();
        long delay = parts.faults().versionDelayNanos();
        if (delay > 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(delay));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        EngineJson result = new EngineJson()
                .put("code", parts.config().versionCode())
                .put("platform", "linux")
                .put("version", parts.config().version());
        exchange.sendJson(new EngineJson().put("result", result).put("error", null).toString());
    }

    void handleServerApi(Exchange exchange, HttpRequest request) throws IOException {
        if (!"get_status".equals(request.parameter("method"))) {
            EngineJson error = new EngineJson().put("message", "unknown method").put("code", 0);
            exchange.sendJson(new EngineJson().put("result", null).put("error", error).toString());
            return;
        }
        parts.counters().statusCalls.incrementAndGet();
        EngineJson result = new EngineJson()
                .put("playlist_loaded", true)
                .put("is_connected", true)
                .put("version", parts.config().version());
        exchange.sendJson(new EngineJson().put("result", result).put("error", null).toString());
    }
}
