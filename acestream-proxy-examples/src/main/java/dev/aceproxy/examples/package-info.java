/**
 * Small, runnable examples of embedding acestream-proxy: the core alone
 * ({@link dev.aceproxy.examples.CoreOnlyExample}) and the servlet adapter inside an existing Jetty
 * server ({@link dev.aceproxy.examples.JettyEmbeddingExample}). See {@code docs/embedding.md}.
 */
package dev.aceproxy.examples;
