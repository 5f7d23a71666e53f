/**
 * The side-by-side comparison: the reference server, acexy and the floor run one after another on
 * the same fake engine, clip and clients, and their process trees' CPU per GB delivered, resident
 * memory and first-byte times are printed with the ratios. Entry point:
 * {@link dev.aceproxy.bench.compare.Compare}.
 */
package dev.aceproxy.bench.compare;
