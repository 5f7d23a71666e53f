package dev.aceproxy.jetty.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises itself, before any servlet runs (a request line or headers too
 * large, a request that is not HTTP), with the same JSON document as the adapter's own errors:
 * {@code {"error": "<code>", "message": "<text>"}}, whatever the client accepts.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static final int MAX_MESSAGE_CHARS = 200;

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        String body = JsonResponses.errorBody(errorCode(code), describe(code, message)).toString();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * Returns the machine-readable code of an HTTP status.
     *
     * @param status the status Jetty answers with
     * @return a snake-case code
     */
    static String errorCode(int status) {
        return switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> "bad_request";
            case HttpStatus.NOT_FOUND_404 -> "not_found";
            case HttpStatus.METHOD_NOT_ALLOWED_405 -> "method_not_allowed";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "body_too_large";
            case HttpStatus.URI_TOO_LONG_414 -> "uri_too_long";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "headers_too_large";
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }

    private static String describe(int status, String message) {
        String reason = HttpStatus.getMessage(status);
        if (message == null || message.isBlank() || message.equals(reason)) {
            return reason;
        }
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "..." : message;
        return reason + ": " + text;
    }
}
