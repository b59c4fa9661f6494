/** Reports for people: terminal tables and self-contained HTML with inline SVG plots. */
package dev.bantam.cli.report;
