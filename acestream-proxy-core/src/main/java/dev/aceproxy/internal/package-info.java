/**
 * Small pieces shared by core's internal packages. Not exported: may change without notice.
 */
package dev.aceproxy.internal;
