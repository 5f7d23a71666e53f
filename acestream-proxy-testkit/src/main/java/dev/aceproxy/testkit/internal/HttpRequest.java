package dev.aceproxy.testkit.internal;

import java.util.Map;

/**
 * A parsed HTTP/1.x request head.
 *
 * @param method the request method, e.g. {@code GET}
 * @param path the decoded path, starting with {@code /}
 * @param query decoded query parameters, the first value of each name
 * @param headers header values by lower-case name, the first of each name
 */
record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers) {

    HttpRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /**
     * @param name a query parameter name
     * @return its value, or null when absent or empty
     */
    String parameter(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
