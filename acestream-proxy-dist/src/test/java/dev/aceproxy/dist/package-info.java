/** Tests of the server distribution tarball, run from the extracted tree with no JDK around. */
package dev.aceproxy.dist;
