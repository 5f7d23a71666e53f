package dev.aceproxy.testkit.internal;

import java.io.IOException;

/** Sends each request to the endpoint its path names; anything else is 404. */
final class EngineRouter {

    static final String PLAYBACK_PREFIX = "/ace/r/";
    /** Where playback urls redirect to when redirects are on. */
    static final String REDIRECTED_PLAYBACK_PREFIX = "/ace/s/";
    static final String STAT_PREFIX = "/ace/stat/";
    static final String COMMAND_PREFIX = "/ace/cmd/";

    private final GetstreamEndpoint getstream;
    private final PlaybackEndpoint playback;
    private final SessionCommands commands;
    private final ServiceEndpoints service;

    EngineRouter(EngineParts parts) {
        this.getstream = new GetstreamEndpoint(parts);
        this.playback = new PlaybackEndpoint(parts);
        this.commands = new SessionCommands(parts);
        this.service = new ServiceEndpoints(parts);
    }

    void route(Exchange exchange, HttpRequest request) throws IOException, InterruptedException {
        if (!request.method().equals("GET")) {
            exchange.sendText(405, "method not allowed");
            return;
        }
        String path = request.path();
        switch (path) {
            case "/ace/getstream" -> getstream.handle(exchange, request);
            case "/webui/api/service" -> service.handleService(exchange, request);
            case "/server/api" -> service.handleServerApi(exchange, request);
            default -> routeSessionPath(exchange, request, path);
        }
    }

    private void routeSessionPath(Exchange exchange, HttpRequest request, String path)
            throws IOException, InterruptedException {
        if (path.startsWith(PLAYBACK_PREFIX) && sessionParts(path, PLAYBACK_PREFIX) != null) {
            String[] ids = sessionParts(path, PLAYBACK_PREFIX);
            playback.handle(exchange, request, ids[0], ids[1], false);
        } else if (path.startsWith(REDIRECTED_PLAYBACK_PREFIX) && sessionParts(path, REDIRECTED_PLAYBACK_PREFIX) != null) {
            String[] ids = sessionParts(path, REDIRECTED_PLAYBACK_PREFIX);
            playback.handle(exchange, request, ids[0], ids[1], true);
        } else if (path.startsWith(STAT_PREFIX) && sessionParts(path, STAT_PREFIX) != null) {
            String[] ids = sessionParts(path, STAT_PREFIX);
            commands.stat(exchange, ids[0], ids[1]);
        } else if (path.startsWith(COMMAND_PREFIX) && sessionParts(path, COMMAND_PREFIX) != null) {
            String[] ids = sessionParts(path, COMMAND_PREFIX);
            commands.command(exchange, request, ids[0], ids[1]);
        } else {
            exchange.sendText(404, "not found");
        }
    }

    /** @return {infohash, key} for {@code <prefix><infohash>/<key>}, or null */
    private static String[] sessionParts(String path, String prefix) {
        String[] parts = path.substring(prefix.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return null;
        }
        return parts;
    }
}
