/**
 * The registry's machinery: the session table, one session's pump and recovery ladder, its
 * lifecycle table, the engine pool and the threads they own. Not exported; may change at any time.
 */
package dev.aceproxy.registry.internal;
