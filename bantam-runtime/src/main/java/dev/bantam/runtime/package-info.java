/** Running models in ONNX Runtime with checked feeds; the runtime layer every measurement goes through. */
package dev.bantam.runtime;
