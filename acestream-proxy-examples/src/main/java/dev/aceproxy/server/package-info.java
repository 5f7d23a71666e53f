/**
 * The reference server: a runnable drop-in for acexy built on the Jetty adapter. Settings come
 * from flags and acexy's environment variables ({@link dev.aceproxy.server.SettingsParser});
 * {@link dev.aceproxy.server.AceProxyServer} is the entry point.
 */
package dev.aceproxy.server;
