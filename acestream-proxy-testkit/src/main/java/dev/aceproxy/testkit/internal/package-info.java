/**
 * The fake engine's machinery: the HTTP/1.1 server and its connections, the engine endpoints and
 * session table, the looped and paced MPEG-TS clip, scripted faults and counters. Not API: it may
 * change at any time.
 */
package dev.aceproxy.testkit.internal;
