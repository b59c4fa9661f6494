/**
 * Running work in a child JVM, so that a crash in native code (ONNX Runtime's, typically) ends the child
 * rather than the caller, and comes back as a {@link dev.bantam.runtime.isolate.NativeCrashException} naming the
 * signal.
 */
package dev.bantam.runtime.isolate;
