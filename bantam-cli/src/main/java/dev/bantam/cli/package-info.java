/** The bantam command line: parses options, calls the library, prints; only Main exits. */
package dev.bantam.cli;
